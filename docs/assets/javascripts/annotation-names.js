// Material renders each code annotation marker as a link with no text, which screen readers
// announce as an unnamed link (Lighthouse: "link-name"). Name each one after its number.
// Material mounts the markers after the page loads, so name them as they appear: only the
// nodes each mutation adds are searched (a search of the whole page at every mutation cost a
// long task of 145 ms on pages with no annotation at all).
function name(link) {
  const number = link.querySelector("[data-md-annotation-id]")?.dataset.mdAnnotationId;
  link.setAttribute("aria-label", number ? `Annotation ${number}` : "Annotation");
}
function nameWithin(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  if (node.matches(".md-annotation__index:not([aria-label])")) name(node);
  node.querySelectorAll(".md-annotation__index:not([aria-label])").forEach(name);
}
new MutationObserver((records) => {
  for (const record of records) record.addedNodes.forEach(nameWithin);
}).observe(document.body, { childList: true, subtree: true });
nameWithin(document.body);
