// The card deck: one button per card, usable by keyboard (Tab, Enter/Space) and touch; the
// chosen card is pressed, and pressing it again takes it back.
export function Deck({ values, selected, disabled, onPick }: { values: string[]; selected: string | null; disabled: boolean; onPick: (value: string | null) => void }) {
  return (
    <div class="deck" role="group" aria-label="Your card">
      {values.map((v) => (
        <button type="button" key={v} class={`playing-card${selected === v ? ' chosen' : ''}`} aria-pressed={selected === v} disabled={disabled}
          aria-label={`Card ${v}`} onClick={() => onPick(selected === v ? null : v)}>{v}</button>
      ))}
    </div>
  );
}
