// The unit page's side of a SCORM player (ADR 0705): the runtime in the package's frame tells
// what the server stored after each commit; the status line shows it. Messages are accepted
// only from that frame and the packages' origin.
(() => {
  const frame = document.querySelector("iframe[data-package-frame]");
  const status = document.querySelector("[data-package-status]");
  if (!frame || !status) return;
  const origin = frame.dataset.origin || window.location.origin;
  const word = (name) => document.querySelector(`[data-word-${name}]`).innerHTML;
  const badge = (text, tone) => `<span class="badge text-bg-${tone}">${text}</span>`;
  window.addEventListener("message", (event) => {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    const message = event.data || {};
    if (message.source !== "openvet-sco" || !message.ok) return;
    const data = message.data || {};
    let text = badge(word("progress"), "secondary");
    if (data.success === "passed") text = badge(word("passed"), "success");
    else if (data.completed) text = badge(word("completed"), "success");
    else if (data.success === "failed") text = badge(word("failed"), "warning");
    if (data.score !== null && data.score !== undefined) {
      const score = document.createElement("span");
      score.textContent = ` ${word("score")} ${data.score}`;
      status.innerHTML = text;
      status.appendChild(score);
    } else {
      status.innerHTML = text;
    }
  });
})();
