// Shows a freshly created token value exactly once, with a Copy button.
import { CopyButton } from '../../components/CopyButton';
import { Modal } from '../../components/Modal';

export function NewTokenModal({ token, title = 'Token created', onClose, closeLabel = 'Done' }: {
  token: string; title?: string; onClose: () => void; closeLabel?: string;
}) {
  return (
    <Modal title={title} onClose={onClose}
      footer={<button type="button" className="btn btn-primary" onClick={onClose}>{closeLabel}</button>}>
      <p className="token-warning" role="note">Copy this token now; it will not be shown again.</p>
      <div className="token-value">
        <code data-testid="new-token-value">{token}</code>
        <CopyButton value={token} />
      </div>
    </Modal>
  );
}
