// The keyboard sheet (`?`) and the side panel's short hints, both derived from shared/keymap.ts.
import { For, Show } from 'solid-js';
import { bindingText, GESTURES, KEYMAP, type KeyAction } from '../../../shared/keymap.ts';

const GROUPS = ['Tools', 'Drawing', 'Shapes', 'Edit', 'View', 'Images', 'Review', 'Help'] as const;
const entries = (readOnly: boolean, pick: (a: KeyAction) => boolean) =>
  (Object.values(KEYMAP) as KeyAction[]).filter((a) => (!readOnly || !a.edits) && pick(a));

function Keys(props: { a: KeyAction }) {
  return (
    <For each={props.a.bindings}>
      {(b, i) => (
        <>
          {i() > 0 ? ' or ' : ''}
          <kbd>{bindingText(b)}</kbd>
        </>
      )}
    </For>
  );
}

function ActionList(props: { actions: KeyAction[] }) {
  return (
    <dl>
      <For each={props.actions}>
        {(a) => (
          <>
            <dt><Keys a={a} /></dt>
            <dd>{a.label}</dd>
          </>
        )}
      </For>
    </dl>
  );
}

export function ShortcutSheet(props: { readOnly: boolean; onClose(): void }) {
  return (
    <div class="sheet-backdrop" onClick={props.onClose}>
      <div class="sheet" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcut-sheet" onClick={(e) => e.stopPropagation()}>
        <div class="sheet-head">
          <h3>Keyboard shortcuts</h3>
          <button type="button" class="icon" aria-label="Close" onClick={props.onClose}>×</button>
        </div>
        <div class="sheet-cols">
          <For each={GROUPS}>
            {(g) => (
              <Show when={entries(props.readOnly, (a) => a.group === g).length}>
                <section>
                  <h4>{g}</h4>
                  <ActionList actions={entries(props.readOnly, (a) => a.group === g)} />
                </section>
              </Show>
            )}
          </For>
          <section>
            <h4>Pointer and classes</h4>
            <dl>
              <For each={GESTURES.filter((x) => !props.readOnly || !('edits' in x && x.edits))}>
                {(x) => (
                  <>
                    <dt>{x.keys.map((k, i) => (i ? ['+', <kbd>{k}</kbd>] : <kbd>{k}</kbd>))}</dt>
                    <dd>{x.label}</dd>
                  </>
                )}
              </For>
            </dl>
          </section>
        </div>
      </div>
    </div>
  );
}

export function KeyHints(props: { readOnly: boolean; onMore(): void }) {
  return (
    <section class="hints" data-testid="key-hints">
      <h3>Keyboard</h3>
      <ActionList actions={entries(props.readOnly, (a) => !!a.hint)} />
      <button type="button" class="link small" onClick={props.onMore}>All shortcuts (?)</button>
    </section>
  );
}
