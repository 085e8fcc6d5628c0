/** File and folder glyphs as inline SVG: no icon font to load, nothing for screen readers to read. */
const PATHS = {
  folder: 'M2 5.5A1.5 1.5 0 0 1 3.5 4h4l1.5 2h7.5A1.5 1.5 0 0 1 18 7.5v8a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 2 15.5z',
  file: 'M5 2.5h6.5L15 6v11.5H5zM11.5 2.5V6H15',
};

export function Icon({ kind }: { kind: keyof typeof PATHS }) {
  return (
    <svg class={`icon icon-${kind}`} viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
      <path d={PATHS[kind]} />
    </svg>
  );
}
