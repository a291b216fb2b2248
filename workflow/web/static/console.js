// Console Cœur de Quartier: drop-zone highlight and upload progress. No inline script anywhere (CSP).
document.addEventListener("DOMContentLoaded", () => {
  for (const zone of document.querySelectorAll(".zone")) {
    for (const name of ["dragenter", "dragover"]) zone.addEventListener(name, () => zone.classList.add("survol"));
    for (const name of ["dragleave", "drop"]) zone.addEventListener(name, () => zone.classList.remove("survol"));
  }
});
document.addEventListener("htmx:xhr:progress", (event) => {
  const bar = document.getElementById("progression");
  if (bar && event.detail.lengthComputable) bar.value = (event.detail.loaded / event.detail.total) * 100;
});
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (form instanceof HTMLFormElement && form.classList.contains("depot") && event.detail.successful) form.reset();
});
