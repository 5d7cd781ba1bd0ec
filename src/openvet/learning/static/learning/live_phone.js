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

  function setStatus(text, kind) {
    const status = $("live-status");
    status.textContent = text;
    status.className = "badge text-bg-" + kind;
  }

  function drawQuestion() {
    const box = $("question-choices");
    box.replaceChildren();
    $("question-note").textContent = "";
    if (!question) {
      $("question-text").textContent = msg.msgWaiting;
      return;
    }
    $("question-text").textContent = question.text;
    question.choices.forEach((choice, i) => {
      const button = document.createElement("button");
      button.type = "button";
      const chosen = myChoice === i;
      button.className = "btn btn-lg text-start " + (chosen ? "btn-primary" : "btn-outline-primary");
      button.textContent = window.liveLetter(i) + ". " + choice;
      button.disabled = myChoice !== null;
      button.setAttribute("aria-pressed", chosen ? "true" : "false");
      button.addEventListener("click", () => {
        errorTarget = $("question-note");
        myChoice = i; // shown at once; the server confirms (or tells the first answer)
        drawQuestion();
        live.send({ type: "answer", question: question.id, choice: i });
      });
      box.appendChild(button);
    });
    if (myChoice !== null) {
      $("question-note").textContent = msg.msgAnswered + " " + window.liveLetter(myChoice);
    }
  }

  function showHand(raised) {
    hand = raised;
    const button = $("hand-button");
    button.textContent = raised ? msg.msgLower : msg.msgRaise;
    button.setAttribute("aria-pressed", raised ? "true" : "false");
    button.className = "btn w-100 btn-lg " + (raised ? "btn-warning" : "btn-outline-primary");
  }

  function showSignIn(open, signed) {
    $("signin-card").hidden = !open || signed;
    $("signin-done").hidden = !signed;
    if (signed) $("signin-done").textContent = msg.msgSigned;
  }

  function showComments(on) {
    $("comment-text").disabled = !on;
    $("comment-form").querySelector("button").disabled = !on;
    $("comment-note").textContent = on ? "" : msg.msgOff;
  }

  const handlers = {
    state(m) {
      question = m.question;
      myChoice = m.my_choice;
      drawQuestion();
      showHand(m.hand);
      showSignIn(m.sign_in_open, m.signed);
      showComments(m.comments_on);
    },
    question(m) { question = m.question; myChoice = null; drawQuestion(); },
    answered(m) {
      if (question && m.question === question.id) { myChoice = m.choice; drawQuestion(); }
    },
    hand(m) { showHand(m.raised); },
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
  $("hand-button").addEventListener("click", () => {
    errorTarget = $("question-note");
    live.send({ type: "hand", raised: !hand });
  });
})();
