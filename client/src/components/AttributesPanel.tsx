// Free key/value attributes of the selected shape. Names are stored through `userAttrKey`, so a
// name such as "iscrowd" or "group" stays a plain user attribute and never takes format meaning;
// attributes with format meaning (from an import) are shown read-only.
import { createSignal, For, Show } from 'solid-js';
import { RESERVED_ATTRS, userAttrKey, userAttrName } from '../../../shared/formats/model.ts';
import type { Shape } from '../state/annotations.ts';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function AttributesPanel(props: { shape: Shape; readOnly: boolean; onSet(attrs: Record<string, unknown>): void }) {
  const [name, setName] = createSignal('');
  const [value, setValue] = createSignal('');
  const rows = () => Object.entries(props.shape.attrs).sort(([a], [b]) => a.localeCompare(b));
  const add = (e: Event) => {
    e.preventDefault();
    const n = name().trim();
    if (!n) return;
    props.onSet({ [userAttrKey(n)]: value() });
    setName('');
    setValue('');
  };
  return (
    <div class="attrs" data-testid="attributes">
      <Show when={rows().length} fallback={<p class="muted small">No attributes.</p>}>
        <table class="attr-table">
          <tbody>
            <For each={rows()}>
              {([key, v]) => (
                <tr data-testid="attribute" data-key={key}>
                  <th>{RESERVED_ATTRS.has(key) ? <em title="has meaning in the import format">{key}</em> : userAttrName(key)}</th>
                  <td>
                    <Show when={!props.readOnly && !RESERVED_ATTRS.has(key)} fallback={<span class="mono small">{show(v)}</span>}>
                      <input value={show(v)} aria-label={`Value of ${userAttrName(key)}`} onChange={(e) => props.onSet({ [key]: e.currentTarget.value })} />
                    </Show>
                  </td>
                  <td>
                    <Show when={!props.readOnly && !RESERVED_ATTRS.has(key)}>
                      <button type="button" class="icon danger" aria-label={`Remove ${userAttrName(key)}`} onClick={() => props.onSet({ [key]: undefined })}>×</button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
      <Show when={!props.readOnly}>
        <form class="attr-form" onSubmit={add}>
          <input placeholder="name" value={name()} onInput={(e) => setName(e.currentTarget.value)} aria-label="Attribute name" maxLength={100} />
          <input placeholder="value" value={value()} onInput={(e) => setValue(e.currentTarget.value)} aria-label="Attribute value" maxLength={1000} />
          <button type="submit" class="small" disabled={!name().trim()}>Add</button>
        </form>
      </Show>
    </div>
  );
}
