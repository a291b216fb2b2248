// Console Cœur de Quartier: drop zone, files chosen, upload progress. No inline script anywhere (CSP).
function showChosen(input) {
  const shown = document.getElementById("choisis");
  if (!shown) return;
  const names = Array.from(input.files || [], (file) => file.name);
  shown.textContent = names.length === 0 ? "Aucun fichier choisi"
    : names.length === 1 ? `1 fichier choisi : ${names[0]}`
    : `${names.length} fichiers choisis : ${names.join(", ")}`;
}
document.addEventListener("DOMContentLoaded", () => {
  for (const zone of document.querySelectorAll(".zone")) {
    const input = zone.querySelector("input[type=file]");
    for (const name of ["dragenter", "dragover"]) {
      zone.addEventListener(name, (event) => { event.preventDefault(); zone.classList.add("survol"); });
    }
    zone.addEventListener("dragleave", () => zone.classList.remove("survol"));
    zone.addEventListener("drop", (event) => {
      // files dropped anywhere on the zone go to its input (the browser would otherwise open them)
      event.preventDefault();
      zone.classList.remove("survol");
      if (input && event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    if (input) input.addEventListener("change", () => showChosen(input));
  }
});
document.addEventListener("htmx:xhr:progress", (event) => {
  const bar = document.getElementById("progression");
  if (bar && event.detail.lengthComputable) bar.value = (event.detail.loaded / event.detail.total) * 100;
});
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (form instanceof HTMLFormElement && form.classList.contains("depot") && event.detail.successful) {
    form.reset();
    const input = form.querySelector("input[type=file]");
    if (input) showChosen(input);
  }
});
