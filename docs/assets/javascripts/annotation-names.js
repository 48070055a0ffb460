// Material renders each code annotation marker as a link with no text, which screen readers
// announce as an unnamed link (Lighthouse: "link-name"). Name each one after its number.
// Material mounts the markers after the page loads, so name them whenever they appear.
new MutationObserver(() => {
  document.querySelectorAll(".md-annotation__index:not([aria-label])").forEach((link) => {
    const number = link.querySelector("[data-md-annotation-id]")?.dataset.mdAnnotationId;
    link.setAttribute("aria-label", number ? `Annotation ${number}` : "Annotation");
  });
}).observe(document.body, { childList: true, subtree: true });
