// `const confirm = useConfirm(); if (await confirm({...})) …` — asks before anything destructive.
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Modal } from './Modal';

interface ConfirmOptions { title: string; message: ReactNode; confirmLabel?: string; danger?: boolean }
type ConfirmFn = (o: ConfirmOptions) => Promise<boolean>;

const ConfirmContext = createContext<ConfirmFn | null>(null);

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<(ConfirmOptions & { resolve: (ok: boolean) => void }) | null>(null);
  const confirm = useCallback<ConfirmFn>((o) => new Promise((resolve) => setPending({ ...o, resolve })), []);
  const close = (ok: boolean) => { pending?.resolve(ok); setPending(null); };
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      {pending && (
        <Modal title={pending.title} onClose={() => close(false)}
          footer={<>
            <button type="button" className="btn" onClick={() => close(false)}>Cancel</button>
            <button type="button" className={`btn ${pending.danger === false ? 'btn-primary' : 'btn-danger'}`} onClick={() => close(true)}>
              {pending.confirmLabel ?? 'Delete'}
            </button>
          </>}>
          <p>{pending.message}</p>
        </Modal>
      )}
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): ConfirmFn {
  const ctx = useContext(ConfirmContext);
  if (!ctx) throw new Error('useConfirm outside ConfirmProvider');
  return ctx;
}
