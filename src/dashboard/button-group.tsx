/**
 * The dashboard's one button group (the seeds' notes: button groups over
 * dropdowns, for touch and keyboard): toggle buttons in a row, the chosen
 * one `aria-pressed` and filled, the group named for screen readers by
 * `label`, which `showLabel` also shows above the buttons. Every page's
 * single choices (book, chart type, interval, range, model, strategy,
 * outcome, run kind) go through it; the styles are `.button-group` in
 * styles.css, which a group built by hand (the market's symbol list and
 * its several-at-once marks) shares.
 */
export interface ButtonOption<T> {
  value: T;
  label: string;
}

export function ButtonGroup<T>(p: {
  label: string;
  showLabel?: boolean;
  options: readonly ButtonOption<T>[];
  value: T | undefined;
  onChange: (v: T) => void;
}) {
  const buttons = p.options.map((o) => (
    <button
      type="button"
      key={String(o.value)}
      aria-pressed={o.value === p.value}
      data-value={String(o.value)}
      onClick={() => p.onChange(o.value)}
    >
      {o.label}
    </button>
  ));
  if (!p.showLabel)
    return (
      <div class="button-group" role="group" aria-label={p.label}>
        {buttons}
      </div>
    );
  const id = `group-${p.label.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <div class="button-field">
      <span id={id}>{p.label}</span>
      <div class="button-group" role="group" aria-labelledby={id}>
        {buttons}
      </div>
    </div>
  );
}
