// The video player's heartbeats (ADR 0702). The server credits only what real time allowed
// to be played since the previous heartbeat; this script only reports what was played.
// No inline scripts: the Content-Security-Policy forbids them.
(() => {
  const BEAT_MS = 10000;
  const video = document.querySelector("video[data-player]");
  if (!video) return;
  const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const bar = document.querySelector("[data-watched-bar]");
  const status = document.querySelector("[data-player-status]");
  const watchedWords = document.querySelector("[data-word-watched]").innerHTML;
  const completedWord = document.querySelector("[data-word-completed]").innerHTML;
  let from = null; // where the stretch being played started, in seconds
  let lastTime = 0; // the last position played, before any seek
  let timer = null;

  let queue = Promise.resolve();

  // Posts leave one after another, so the server sees a seek's last stretch before the play
  // that follows it.
  function post(url, body) {
    const sent = queue.then(() =>
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify(body),
      }).then((response) => response.json().then((data) => ({ ok: response.ok, data }))),
    );
    queue = sent.catch(() => undefined);
    return sent;
  }

  function show(data) {
    if (typeof data.watched_percent === "number") {
      bar.value = data.watched_percent;
      bar.textContent = `${data.watched_percent}%`;
      status.textContent = watchedWords.replace("__PERCENT__", String(data.watched_percent));
      if (data.completed) status.textContent += ` ${completedWord}`;
    }
    if (data.message) status.textContent = data.message;
  }

  function start() {
    from = video.currentTime;
    post(video.dataset.playUrl, { position: from })
      .then(({ data }) => show(data))
      .catch(() => undefined); // offline: the next heartbeat is refused and starts again
    clearInterval(timer);
    timer = setInterval(beat, BEAT_MS);
  }

  function beat() {
    if (from === null) return;
    const end = video.seeking ? lastTime : video.currentTime;
    if (end <= from) return;
    const segment = { start: from, end };
    from = end;
    post(video.dataset.beatUrl, segment)
      .then(({ ok, data }) => {
        show(data);
        if (!ok && !video.paused) start(); // refused: a new stretch from where the learner is
      })
      .catch(() => undefined);
  }

  function stop() {
    beat();
    clearInterval(timer);
    from = null;
  }

  video.addEventListener("loadedmetadata", () => {
    const resume = Number(video.dataset.resume || 0);
    if (resume > 0 && resume < video.duration - 1) video.currentTime = resume;
  });
  video.addEventListener("play", start);
  video.addEventListener("pause", stop);
  video.addEventListener("ended", stop);
  video.addEventListener("timeupdate", () => {
    if (!video.seeking) lastTime = video.currentTime;
  });
  video.addEventListener("seeking", () => {
    if (from !== null) beat(); // what was played up to the seek
    clearInterval(timer);
    from = null;
  });
  video.addEventListener("seeked", () => {
    if (!video.paused) start();
  });
  video.addEventListener("ratechange", () => {
    if (video.playbackRate !== 1) video.playbackRate = 1;
  });
  window.addEventListener("pagehide", () => {
    if (from !== null && video.currentTime > from) {
      const body = JSON.stringify({ start: from, end: video.currentTime });
      fetch(video.dataset.beatUrl, {
        method: "POST",
        keepalive: true,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body,
      });
    }
  });
})();
