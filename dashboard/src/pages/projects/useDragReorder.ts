// Native drag-and-drop reordering for a list (an extra to the Move up / Move down buttons,
// which stay the keyboard way to reorder). `handleProps(i)` goes on the item's drag handle
// (so text selection in the item's fields keeps working), `itemProps(i)` on the item itself.
import { useRef, useState, type DragEvent } from 'react';

export function useDragReorder(enabled: boolean, onMove: (from: number, to: number) => void) {
  // A ref, not state: dragover may fire before React re-renders after dragstart.
  const from = useRef<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const reset = () => { from.current = null; setOver(null); };
  const handleProps = (i: number) => (!enabled ? {} : {
    draggable: true,
    title: 'Drag to reorder',
    onDragStart: (e: DragEvent) => {
      from.current = i;
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', String(i));
    },
    onDragEnd: reset,
  });
  const itemProps = (i: number) => (!enabled ? {} : {
    onDragOver: (e: DragEvent) => { if (from.current !== null) { e.preventDefault(); setOver(i); } },
    onDragLeave: () => setOver((o) => (o === i ? null : o)),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      if (from.current !== null && from.current !== i) onMove(from.current, i);
      reset();
    },
  });
  const isOver = (i: number) => over === i && from.current !== null && from.current !== i;
  return { handleProps, itemProps, isOver };
}
