// Building DOM without a framework: h('p', {class: 'x'}, 'text', child) and line icons drawn for
// this dashboard (24×24, stroked in the current colour).

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...flatten(children));
  return element;
}

function flatten(children) {
  return children.flat(Infinity).filter(child => child !== null && child !== undefined && child !== false)
    .map(child => (child instanceof Node ? child : document.createTextNode(String(child))));
}

const handset = 'M5 4h3.5l1.8 4.6-2.3 1.5a11.5 11.5 0 0 0 5.9 5.9l1.5-2.3 4.6 1.8V19a1.5 1.5 0 0 1-1.6 1.5A16.5 16.5 0 0 1 3.5 5.6 1.5 1.5 0 0 1 5 4z';

const paths = {
  phone: handset,
  brand: `${handset} M14.5 3.6a6 6 0 0 1 5.9 5.9 M14.3 7.2a2.6 2.6 0 0 1 2.5 2.5`,
  incoming: `${handset} M16 3.5V8h4.5 M21 3l-5 5`,
  missed: `${handset} M15.5 3.5l5 5 M20.5 3.5l-5 5`,
  elsewhere: `${handset} M15.5 6.5h6 M18.5 3.5l3 3-3 3`,
  outgoing: `${handset} M21 3v4.5 M21 3h-4.5 M21 3l-5 5`,
  transfer: 'M4 8h13 M14 5l3 3-3 3 M20 16H7 M10 13l-3 3 3 3',
  external: 'M14 4h6v6 M20 4l-8.5 8.5 M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M4.5 20a7.5 7.5 0 0 1 15 0',
  userPlus: 'M10 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M3 20a7 7 0 0 1 14 0 M19.5 8v6 M16.5 11h6',
  users: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z M2.5 20a6.5 6.5 0 0 1 13 0 M16 4.3a3.5 3.5 0 0 1 0 6.4 M18 14.2a6.5 6.5 0 0 1 3.5 5.8',
  bell: 'M6 16v-5a6 6 0 0 1 12 0v5l1.5 2h-15z M10 21h4',
  bellOn: 'M6 16v-5a6 6 0 0 1 12 0v5l1.5 2h-15z M10 21h4 M2.8 8a9.5 9.5 0 0 1 2.6-4.4 M21.2 8a9.5 9.5 0 0 0-2.6-4.4',
  language: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M3 12h18 M12 3c2.4 2.5 3.6 5.5 3.6 9s-1.2 6.5-3.6 9 M12 3C9.6 5.5 8.4 8.5 8.4 12s1.2 6.5 3.6 9',
  signOut: 'M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3 M10 16l-4-4 4-4 M6 12h10',
  close: 'M6 6l12 12 M18 6L6 18',
  lock: 'M6 11h12v9.5H6z M8.5 11V8a3.5 3.5 0 0 1 7 0v3',
  warning: 'M12 3.5l9.5 16.5h-19z M12 10v4.5 M12 17.4v.2',
  invoice: 'M7 3h7l5 5v13H7z M14 3v5h5 M10 13h6 M10 17h4',
  refresh: 'M20 12a8 8 0 1 1-2.3-5.6 M20 4v5h-5',
};

export function icon(name, className = 'icon') {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', paths[name] ?? paths.phone);
  svg.append(path);
  return svg;
}

/** Replaces every [data-icon] placeholder in the static page with its icon. */
export function drawIcons(root) {
  for (const slot of root.querySelectorAll('[data-icon]')) {
    slot.replaceWith(icon(slot.dataset.icon, slot.getAttribute('class') ?? 'icon'));
  }
}
