// A learner's phone in a live class: sign in with the screen's code, answer the question,
// send bullet comments, raise a hand. The server's state wins after every reconnection.
(function () {
  const root = document.getElementById("live-phone");
  if (!root) return;
  const msg = root.dataset;
  const $ = (id) => document.getElementById(id);
  let question = null;
  let myChoice = null;
  let hand = false;
  let errorTarget = $("question-note");
  let group = null; // { id, number, members }
  let groupAnswer = null; // the group's answer to the open group question: { choice, by }
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key]);

  function setStatus(text, kind) {
    const status = $("live-status");
    status.textContent = text;
    status.className = "badge text-bg-" + kind;
  }

  function drawQuestion() {
    const box = $("question-choices");
    box.replaceChildren();
    $("question-note").textContent = "";
    $("question-kind").hidden = !(question && question.for_groups);
    $("question-kind").textContent = msg.msgGroupQuestion;
    if (!question) {
      $("question-text").textContent = msg.msgWaiting;
      return;
    }
    $("question-text").textContent = question.text;
    const forGroup = question.for_groups;
    const picked = forGroup ? (groupAnswer ? groupAnswer.choice : null) : myChoice;
    question.choices.forEach((choice, i) => {
      const button = document.createElement("button");
      button.type = "button";
      const chosen = picked === i;
      button.className = "btn btn-lg text-start " + (chosen ? "btn-primary" : "btn-outline-primary");
      button.textContent = window.liveLetter(i) + ". " + choice;
      // A group's answer can change until the question closes (the last one counts).
      button.disabled = forGroup ? !group : myChoice !== null;
      button.setAttribute("aria-pressed", chosen ? "true" : "false");
      button.addEventListener("click", () => {
        errorTarget = $("question-note");
        if (!forGroup) { myChoice = i; drawQuestion(); } // shown at once; the server confirms
        const answer = { type: "answer", question: question.id, choice: i };
        if (forGroup) answer.group = group.id;
        live.send(answer);
      });
      box.appendChild(button);
    });
    if (forGroup) {
      $("question-note").textContent = !group ? msg.msgNoGroup : groupAnswer
        ? fill(msg.msgGroupAnswer, { choice: window.liveLetter(groupAnswer.choice), name: groupAnswer.by })
        : msg.msgGroupNone;
    } else if (myChoice !== null) {
      $("question-note").textContent = msg.msgAnswered + " " + window.liveLetter(myChoice);
    }
  }

  function showGroup(mine, grouping, choices) {
    group = mine;
    $("group-card").hidden = !grouping;
    $("group-name").textContent = mine ? mine.name || fill(msg.msgGroup, { n: mine.number }) : msg.msgNoGroup;
    $("group-members").textContent = mine ? mine.members.join("、") : "";
    const list = $("group-list");
    list.replaceChildren();
    $("group-choose").hidden = !(choices && choices.length);
    (choices || []).forEach((g) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      const current = mine && mine.id === g.id;
      button.className = "btn text-start w-100 " + (current ? "btn-primary" : "btn-outline-primary");
      button.setAttribute("aria-pressed", current ? "true" : "false");
      const label = g.name || fill(msg.msgGroup, { n: g.number });
      button.textContent = g.members.length ? label + "（" + g.members.join("、") + "）" : label;
      button.addEventListener("click", () => {
        errorTarget = $("group-error");
        errorTarget.textContent = "";
        live.send({ type: "choose_group", group: g.id });
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  let groupChoices = [];
  let grouping = "";

  function showHand(raised) {
    hand = raised;
    const button = $("hand-button");
    button.textContent = raised ? msg.msgLower : msg.msgRaise;
    button.setAttribute("aria-pressed", raised ? "true" : "false");
    button.className = "btn w-100 btn-lg " + (raised ? "btn-warning" : "btn-outline-primary");
  }

  let remote = false; // following remotely: sign-in is for the room (never shown here)

  function showSignIn(open, signed) {
    $("signin-card").hidden = !open || signed || remote;
    $("signin-done").hidden = !signed;
    if (signed) $("signin-done").textContent = msg.msgSigned;
  }

  function showComments(on) {
    $("comment-text").disabled = !on;
    $("comment-form").querySelector("button").disabled = !on;
    $("comment-note").textContent = on ? "" : msg.msgOff;
  }

  let slide = { number: 0, total: 0, url: null };
  let mine = new Set();

  function showSlide(m) {
    slide = m;
    $("slide-card").hidden = !m.url;
    if (m.url) $("slide-image").src = m.url;
    $("slide-position").textContent = m.total ? m.number + " / " + m.total : "";
    const pressed = mine.has(m.number);
    const button = $("slide-confused");
    button.disabled = pressed;
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    $("slide-note").textContent = pressed ? msg.msgConfused : "";
  }

  const handlers = {
    state(m) {
      remote = Boolean(m.remote);
      mine = new Set(m.my_confused || []);
      showSlide(m.slide);
      question = m.question;
      myChoice = m.my_choice;
      grouping = m.grouping;
      groupChoices = m.groups || [];
      showGroup(m.group, grouping, groupChoices);
      groupAnswer = m.group_answer;
      drawQuestion();
      showHand(m.hand);
      showSignIn(m.sign_in_open, m.signed);
      showComments(m.comments_on);
    },
    question(m) { question = m.question; myChoice = null; groupAnswer = null; drawQuestion(); },
    answered(m) {
      if (question && m.question === question.id && !m.for_group) { myChoice = m.choice; drawQuestion(); }
    },
    group_answer(m) {
      const a = m.answer;
      if (!question || a.question !== question.id) return;
      if (groupAnswer && groupAnswer.at > a.at) return; // the later answer stands
      groupAnswer = a;
      drawQuestion();
    },
    grouped(m) {
      grouping = m.grouping;
      groupChoices = m.groups || [];
      showGroup(m.group, grouping, groupChoices);
      drawQuestion();
    },
    group(m) {
      if (m.group) {
        groupChoices = groupChoices.map((g) => (g.id === m.group.id ? m.group : g));
        // "group" reaches a phone for its own group only (or its new one after choosing)
        showGroup(m.group, grouping, groupChoices);
        drawQuestion();
      }
    },
    hand(m) { showHand(m.raised); },
    slide(m) { showSlide(m); },
    confused_ok(m) { mine.add(m.number); if (m.number === slide.number) showSlide(slide); },
    sign_in_open() { showSignIn(true, false); },
    signed() { showSignIn(true, true); },
    comment_sent() { $("comment-text").value = ""; $("comment-note").textContent = msg.msgSent; },
    comment_held(m) { $("comment-note").textContent = m.message; },
    comments(m) { showComments(m.on); },
    called_you() {
      const alert = $("called-alert");
      alert.textContent = msg.msgCalled;
      alert.hidden = false;
      if (navigator.vibrate) navigator.vibrate(200);
    },
    error(m) {
      if (errorTarget === $("question-note") && question) {
        live.send({ type: "state" }); // the server's truth replaces the optimistic choice
      }
      errorTarget.textContent = m.message;
    },
    ended() { setStatus(msg.msgEnded, "secondary"); question = null; drawQuestion(); },
  };

  const live = window.liveSocket(root.dataset.socket, {
    open() { setStatus(msg.msgConnected, "success"); },
    lost() { setStatus(msg.msgReconnecting, "warning"); },
    gone() { setStatus(msg.msgEnded, "secondary"); },
    message(m) { if (handlers[m.type]) handlers[m.type](m); },
  });

  $("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    errorTarget = $("signin-error");
    errorTarget.textContent = "";
    live.send({ type: "sign_in", code: $("signin-code").value });
  });
  $("comment-form").addEventListener("submit", (event) => {
    event.preventDefault(); // the text stays until the server has taken it
    errorTarget = $("comment-note");
    errorTarget.textContent = "";
    live.send({ type: "comment", text: $("comment-text").value });
  });
  $("slide-confused").addEventListener("click", () => {
    errorTarget = $("slide-note");
    live.send({ type: "confused", number: slide.number });
  });
  $("hand-button").addEventListener("click", () => {
    errorTarget = $("question-note");
    live.send({ type: "hand", raised: !hand });
  });
})();
