// Checkpoint questions in a video (ADR 0731): the player stops at the first question the
// learner has not answered and shows it; the answer goes to the server, which grades it and
// credits nothing past the question until it is answered. No inline scripts (CSP).
(() => {
  const video = document.querySelector("video[data-player]");
  const data = document.getElementById("checkpoint-data");
  if (!video || !data) return;
  const points = JSON.parse(data.textContent).sort((a, b) => a.at - b.at);
  const box = document.querySelector("[data-checkpoint-box]");
  const form = box.querySelector("[data-checkpoint-form]");
  const text = box.querySelector("[data-checkpoint-text]");
  const choices = box.querySelector("[data-checkpoint-choices]");
  const error = box.querySelector("[data-checkpoint-error]");
  const result = document.querySelector("[data-checkpoint-result]");
  const chooseWord = document.querySelector("[data-word-choose]").innerHTML;
  const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const SLACK = 0.5; // seconds a timeupdate may run past the question
  let current = null;

  const pending = () => points.find((p) => !p.answered);

  function show(point) {
    current = point;
    text.textContent = point.text;
    choices.replaceChildren();
    const type = point.kind === "multiple" ? "checkbox" : "radio";
    point.choices.forEach((label, index) => {
      const wrap = document.createElement("div");
      wrap.className = "form-check";
      const input = document.createElement("input");
      input.className = "form-check-input";
      input.type = type;
      input.name = "answer";
      input.value = String(index);
      input.id = `checkpoint-${point.id}-${index}`;
      const tag = document.createElement("label");
      tag.className = "form-check-label";
      tag.htmlFor = input.id;
      tag.textContent = label;
      wrap.append(input, tag);
      choices.append(wrap);
    });
    error.textContent = "";
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  function hold() {
    const next = pending();
    if (!next) return;
    if (video.currentTime >= next.at) {
      if (!video.paused) video.pause();
      if (video.currentTime > next.at + SLACK) video.currentTime = next.at;
      if (current !== next) show(next);
    }
  }

  video.addEventListener("timeupdate", hold);
  video.addEventListener("seeking", () => {
    const next = pending();
    if (next && video.currentTime > next.at + SLACK) video.currentTime = next.at;
  });
  video.addEventListener("play", () => {
    if (current) video.pause();
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!current) return;
    const chosen = [...form.querySelectorAll("input[name=answer]:checked")].map((i) => Number(i.value));
    if (!chosen.length) {
      error.textContent = chooseWord;
      return;
    }
    const point = current;
    const url = form.dataset.answerUrl.replace("/0/", `/${point.id}/`);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ answer: chosen }),
    })
      .then((response) => response.json().then((body) => ({ status: response.status, body })))
      .then(({ status, body }) => {
        if (status === 200 || status === 409) {
          point.answered = true;
          current = null;
          box.hidden = true;
          result.textContent = body.message || "";
          video.play().catch(() => undefined);
        } else {
          error.textContent = body.message || "";
        }
      })
      .catch(() => {
        error.textContent = chooseWord;
      });
  });
})();
