// Material renders each code annotation marker as a link with no text, which screen readers
// announce as an unnamed link (Lighthouse: "link-name"). Name each one after its number.
// Material mounts the markers after the page loads, so name them as they appear, looking
// only inside what was added (not the whole page at every change: long pages change often).
function name(root) {
  const markers = root.matches?.(".md-annotation__index") ? [root] : root.querySelectorAll?.(".md-annotation__index") ?? [];
  for (const link of markers) {
    if (link.hasAttribute("aria-label")) continue;
    const number = link.querySelector("[data-md-annotation-id]")?.dataset.mdAnnotationId;
    link.setAttribute("aria-label", number ? `Annotation ${number}` : "Annotation");
  }
}
name(document.body);
new MutationObserver((records) => {
  for (const record of records) record.addedNodes.forEach(name);
}).observe(document.body, { childList: true, subtree: true });
