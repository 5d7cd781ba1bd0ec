// The live class's WebSocket: reconnects after a drop (1 s, 2 s, 4 s ... at most 10 s) and
// keeps what was sent while down, to send once back; the server's answer to a repeat is the
// first answer (no double answers), and each reconnection brings the whole state.
window.liveSocket = function (path, handlers) {
  const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  let socket = null;
  let delay = 1000;
  let pending = [];
  let over = false;

  function connect() {
    socket = new WebSocket(scheme + window.location.host + path);
    socket.addEventListener("open", () => {
      delay = 1000;
      if (handlers.open) handlers.open();
      const queued = pending;
      pending = [];
      queued.forEach((message) => socket.send(JSON.stringify(message)));
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "ended") over = true;
      handlers.message(message);
    });
    socket.addEventListener("close", (event) => {
      if (over || event.code === 4401 || event.code === 4404) {
        if (handlers.gone) handlers.gone(event.code);
        return;
      }
      if (handlers.lost) handlers.lost();
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    });
  }

  connect();
  return {
    send(message) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
      else pending.push(message);
    },
  };
};

window.liveLetter = (index) => String.fromCharCode(65 + index);
