// The classroom screen: join code and QR, the live chart of answers, bullet comments flying
// over the page, raised hands, random call and the sign-in code, all from the WebSocket.
(function () {
  const root = document.getElementById("live-screen");
  if (!root) return;
  const msg = root.dataset;
  const $ = (id) => document.getElementById(id);
  let question = null;
  let counts = [];
  let chart = null;
  let commentsOn = true;
  let errorTarget = $("ask-error");
  let groups = []; // the current groups: { id, number, members }
  let groupAnswers = {}; // group id -> { number, choice, by, at } for the open group question
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key]);

  function setStatus(text, kind) {
    const status = $("live-status");
    status.textContent = text;
    status.className = "badge text-bg-" + kind;
  }

  function drawChart() {
    const box = $("question-chart");
    const tally = $("question-tally");
    tally.replaceChildren();
    if (!question) {
      $("question-text").textContent = msg.msgNoQuestion;
      box.hidden = true;
      $("question-close").hidden = true;
      return;
    }
    $("question-text").textContent = question.text;
    $("question-close").hidden = false;
    const labels = question.choices.map((c, i) => window.liveLetter(i) + ". " + c);
    labels.forEach((label, i) => {
      const item = document.createElement("li");
      item.textContent = label + " — " + (counts[i] || 0) + " " + msg.msgAnswers;
      tally.appendChild(item);
    });
    box.hidden = false;
    if (typeof echarts === "undefined") return;
    if (!chart) {
      chart = echarts.init(box, null, { renderer: "svg" });
      window.addEventListener("resize", () => chart.resize());
    }
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: labels },
      series: [{ type: "bar", data: counts.slice(), label: { show: true, position: "right" } }],
    });
    root.dataset.total = String(counts.reduce((a, b) => a + b, 0));
  }

  // A group formed from a course group carries its name; the others are numbered.
  const groupName = (g) => g.name || fill(msg.msgGroup, { n: g.number });

  function showGroups() {
    const list = $("groups-list");
    list.replaceChildren();
    groups.forEach((g) => {
      const item = document.createElement("li");
      item.className = "mb-1";
      const name = document.createElement("strong");
      name.textContent = groupName(g) + "：";
      item.append(name, g.members.length ? g.members.join("、") : msg.msgNoMembers);
      list.appendChild(item);
    });
  }

  // A group question: the chart counts each group's answer now (it may change until closed).
  function drawGroupAnswers() {
    const box = $("group-answers");
    box.hidden = !(question && question.for_groups);
    box.replaceChildren();
    if (box.hidden) return;
    counts = question.choices.map(() => 0);
    groups.forEach((g) => {
      const a = groupAnswers[g.id];
      const item = document.createElement("li");
      const label = groupName(g) + "：";
      if (a) {
        counts[a.choice] += 1;
        item.textContent = label + window.liveLetter(a.choice) + "（" + fill(msg.msgBy, { name: a.by }) + "）";
      } else {
        item.textContent = label + msg.msgGroupWaiting;
        item.className = "text-body-secondary";
      }
      box.appendChild(item);
    });
  }

  function showRemote(names) {
    const list = $("remote-list");
    list.replaceChildren();
    (names.length ? names : [msg.msgNobodyRemote]).forEach((name) => {
      const item = document.createElement("li");
      item.textContent = name;
      if (!names.length) item.className = "text-body-secondary";
      list.appendChild(item);
    });
  }

  function takeGroupAnswers(answers) {
    answers.forEach((a) => {
      if (!question || a.question !== question.id) return;
      const known = groupAnswers[a.group];
      if (!known || known.at <= a.at) groupAnswers[a.group] = a; // the later answer stands
    });
  }

  // Counts only grow (answers are final), so the larger of two reports is the newer one.
  function merge(newCounts) {
    counts = question ? question.choices.map((_, i) => Math.max(counts[i] || 0, newCounts[i] || 0)) : [];
  }

  function showHands(hands) {
    const list = $("hands-list");
    list.replaceChildren();
    if (!hands.length) {
      const none = document.createElement("li");
      none.className = "text-body-secondary";
      none.textContent = msg.msgNoHands;
      list.appendChild(none);
    }
    hands.forEach((hand) => {
      const item = document.createElement("li");
      item.className = "d-flex justify-content-between align-items-center gap-2 mb-1";
      const name = document.createElement("span");
      name.textContent = hand.name;
      const lower = document.createElement("button");
      lower.type = "button";
      lower.className = "btn btn-outline-secondary btn-sm";
      lower.textContent = msg.msgLower;
      lower.addEventListener("click", () => live.send({ type: "lower", user: hand.id }));
      item.append(name, lower);
      list.appendChild(item);
    });
  }

  function logComment(text) {
    const log = $("comments-log");
    const item = document.createElement("li");
    item.textContent = text;
    log.prepend(item);
    while (log.children.length > 8) log.lastElementChild.remove();
  }

  function fly(text) {
    logComment(text);
    if (!commentsOn) return;
    const overlay = $("live-overlay");
    const bullet = document.createElement("span");
    bullet.className = "live-bullet";
    bullet.textContent = text;
    bullet.style.top = 10 + Math.floor(Math.random() * 8) * 9 + "%";
    bullet.addEventListener("animationend", () => bullet.remove());
    overlay.appendChild(bullet);
  }

  function showSignIn(signIn) {
    if (!signIn) return;
    $("signin-code").hidden = false;
    $("signin-open").hidden = true;
    $("signin-value").textContent = signIn.code;
  }

  function showFilter(on, words) {
    commentsOn = on;
    $("comments-on").checked = on;
    $("comments-words").value = (words || []).join(" ");
    $("live-overlay").hidden = !on;
  }

  let slide = { number: 0, total: 0, url: null };
  let confused = {};

  function showSlide(m) {
    slide = m;
    const image = $("slide-image");
    image.hidden = !m.url;
    if (m.url) image.src = m.url;
    $("slide-position").textContent = m.total ? m.number + " / " + m.total : "";
    $("slide-prev").disabled = !m.total || m.number <= 1;
    $("slide-next").disabled = !m.total || m.number >= m.total;
    $("slide-confused-line").hidden = !m.number;
    $("slide-confused").textContent = confused[m.number] || 0;
  }

  const handlers = {
    state(m) {
      confused = m.confused || {};
      showSlide(m.slide);
      question = m.question;
      counts = m.counts || [];
      $("live-joined").textContent = m.joined;
      $("live-roster").textContent = m.roster;
      $("signin-count").textContent = m.signed;
      showHands(m.hands);
      $("comments-log").replaceChildren();
      m.comments.forEach(logComment);
      showFilter(m.comments_on, m.blocked_words);
      showSignIn(m.sign_in);
      groups = m.groups || [];
      showGroups();
      showRemote(m.remote || []);
      groupAnswers = {};
      takeGroupAnswers(m.group_answers || []);
      drawGroupAnswers();
      drawChart();
    },
    question(m) {
      question = m.question;
      counts = question ? question.choices.map(() => 0) : [];
      groupAnswers = {};
      drawGroupAnswers();
      drawChart();
    },
    tally(m) {
      if (!question || m.question !== question.id || question.for_groups) return;
      merge(m.counts);
      drawChart();
    },
    group_answers(m) { takeGroupAnswers(m.answers); drawGroupAnswers(); drawChart(); },
    grouped(m) { groups = m.groups; showGroups(); $("groups-error").textContent = ""; },
    group(m) {
      const known = groups.some((g) => g.id === m.group.id);
      if (known) groups = groups.map((g) => (g.id === m.group.id ? m.group : g));
      showGroups();
    },
    remote(m) { showRemote(m.remote); },
    joined(m) { $("live-joined").textContent = m.joined; },
    slide(m) { showSlide(m); $("slide-error").textContent = ""; },
    confused(m) {
      confused[m.number] = Math.max(confused[m.number] || 0, m.count);
      if (m.number === slide.number) $("slide-confused").textContent = confused[m.number];
    },
    comment(m) { fly(m.text); },
    hands(m) { showHands(m.hands); },
    called(m) {
      $("call-name").textContent = msg.msgCalled + " " + m.name;
      $("call-error").textContent = "";
    },
    signed(m) { $("signin-count").textContent = m.signed; },
    sign_in(m) { showSignIn(m.sign_in); $("signin-error").textContent = ""; },
    comments(m) { showFilter(m.on, m.blocked_words); },
    error(m) { errorTarget.textContent = m.message; },
    ended() { window.location.assign(root.dataset.record); },
  };

  const live = window.liveSocket(root.dataset.socket, {
    open() { setStatus(msg.msgConnected, "success"); },
    lost() { setStatus(msg.msgReconnecting, "warning"); },
    gone() { setStatus(msg.msgEnded, "secondary"); },
    message(m) { if (handlers[m.type]) handlers[m.type](m); },
  });

  function act(target, message) {
    errorTarget = $(target);
    errorTarget.textContent = "";
    live.send(message);
  }

  $("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const choices = $("ask-choices").value.split("\n").map((c) => c.trim()).filter(Boolean);
    act("ask-error", {
      type: "ask", text: $("ask-text").value, choices, for_groups: $("ask-groups").checked,
    });
  });
  const numberLabel = $("groups-number-label");
  $("groups-mode").addEventListener("change", () => {
    const mode = $("groups-mode").value;
    numberLabel.textContent = mode === "choice" ? numberLabel.dataset.count : numberLabel.dataset.size;
    $("groups-number").disabled = mode === "reuse" || mode === "course";
  });
  $("groups-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const mode = $("groups-mode").value;
    const number = $("groups-number").value;
    act("groups-error", { type: "groups", mode, size: number, count: number });
  });
  $("question-close").addEventListener("click", () => act("ask-error", { type: "close" }));
  $("call-button").addEventListener("click", () => act("call-error", { type: "call" }));
  $("signin-open").addEventListener("click", () => act("signin-error", { type: "open_sign_in" }));
  const saveFilter = () => act("ask-error", {
    type: "comments",
    on: $("comments-on").checked,
    blocked_words: $("comments-words").value.split(/\s+/).filter(Boolean),
  });
  $("comments-on").addEventListener("change", saveFilter);
  $("comments-save").addEventListener("click", saveFilter);
  $("slide-prev").addEventListener("click", () => act("slide-error", { type: "slide", number: slide.number - 1 }));
  $("slide-next").addEventListener("click", () => act("slide-error", { type: "slide", number: slide.number + 1 }));
  $("live-end").addEventListener("click", () => act("ask-error", { type: "end" }));
})();
