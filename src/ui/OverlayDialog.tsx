// The shell every overlay over the grid shares (the gallery, the scenario editor, the footprint
// table): a dialog with a heading, one muted line beside it and Close; Escape closes it too.
import type { ReactNode, Ref } from 'react';
import { closePanel } from './actions';

interface Props {
  readonly className: string;
  readonly label: string;
  readonly testId: string;
  readonly title: string;
  readonly subtitle: ReactNode;
  /** The Close button, for panels that focus it when they open. */
  readonly closeRef?: Ref<HTMLButtonElement>;
  /** data-* hooks of the panel (e2e tests wait on them). */
  readonly data?: Readonly<Record<`data-${string}`, string>>;
  readonly children: ReactNode;
}

export function OverlayDialog({ className, label, testId, title, subtitle, closeRef, data, children }: Props) {
  return (
    <div
      className={`overlay ${className}`}
      role="dialog"
      aria-label={label}
      data-testid={testId}
      {...data}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          closePanel();
        }
      }}
    >
      <div className="panel-head">
        <h2>{title}</h2>
        <span className="muted">{subtitle}</span>
        <button ref={closeRef} type="button" className="small close" onClick={closePanel}>
          Close
        </button>
      </div>
      {children}
    </div>
  );
}
