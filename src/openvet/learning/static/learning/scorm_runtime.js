// The SCORM run-time API a SCO finds in its parent window (ADR 0704): window.API for SCORM 1.2
// (LMSInitialize ... LMSGetDiagnostic) and window.API_1484_11 for SCORM 2004 (Initialize ...
// GetDiagnostic). Calls are answered synchronously from the values sent with this page; what
// the SCO sets is committed to the server, which checks every value again with the same rules.
// Loaded by the launcher page, on the packages' origin, before the SCO's frame is opened.
(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("sco-config").textContent);
  const v2004 = config.standard === "scorm2004";
  const rules = config.rules;
  const words = config.errors;
  const values = Object.assign({}, config.values);
  const timespan = new RegExp(config.timespan);
  const duration = new RegExp(config.duration);
  // Every value set in this session goes with each commit, numbered: the server keeps the
  // highest number, so a commit that arrives late cannot undo a later one.
  const changed = {};
  let seq = 0;
  let state = "new"; // new, running, ended
  let lastError = "0";

  const generic = (element) => element.replace(/\.\d+(?=\.)/g, ".n");
  const fail = (code, answer) => {
    lastError = code;
    return answer;
  };
  const pass = (answer) => {
    lastError = "0";
    return answer;
  };

  // How many entries an array (e.g. "cmi.interactions") holds: its distinct stored indexes.
  function count(prefix) {
    const seen = new Set();
    const start = prefix + ".";
    for (const key of Object.keys(values)) {
      if (!key.startsWith(start)) continue;
      const index = key.slice(start.length).split(".")[0];
      if (/^\d+$/.test(index)) seen.add(index);
    }
    return seen.size;
  }

  function isArray(prefix) {
    const head = generic(prefix + ".0.x").slice(0, -1);
    return Object.keys(rules).some((name) => name.startsWith(head));
  }

  function children(prefix) {
    const head = generic(prefix + ".x").slice(0, -1);
    const arrayHead = generic(prefix + ".0.x").slice(0, -1);
    const found = [];
    for (const name of Object.keys(rules)) {
      let rest = null;
      if (name.startsWith(arrayHead)) rest = name.slice(arrayHead.length);
      else if (name.startsWith(head) && !name.slice(head.length).startsWith("n.")) {
        rest = name.slice(head.length);
      }
      if (rest === null) continue;
      const child = rest.split(".")[0];
      if (child && child !== "_version" && !found.includes(child)) found.push(child);
    }
    return found;
  }

  // The index of each array in an element may be at most the array's current count.
  function indexesOk(element) {
    const parts = element.split(".");
    for (let i = 1; i < parts.length; i += 1) {
      if (!/^\d+$/.test(parts[i])) continue;
      if (Number(parts[i]) > count(parts.slice(0, i).join("."))) return false;
    }
    return true;
  }

  // The same checks as the server's cmi.check: "" when the value may be stored.
  function check(element, value) {
    const rule = rules[generic(element)];
    if (!rule) return v2004 ? "401" : element.startsWith("cmi.") ? "401" : "201";
    if (rule.a === "ro") return v2004 ? "404" : "403";
    if (rule.n && value.length > rule.n) return v2004 ? "407" : "405";
    const mismatch = v2004 ? "406" : "405";
    if (rule.k === "vocab" && !rule.v.includes(value)) return mismatch;
    if (rule.k === "timespan" && !timespan.test(value)) return mismatch;
    if (rule.k === "duration" && !duration.test(value)) return mismatch;
    if (rule.k === "real" || rule.k === "integer") {
      if (value === "" && !v2004) return "";
      if (!/^-?\d+(\.\d+)?$/.test(value)) return mismatch;
      const number = Number(value);
      if (rule.k === "integer" && !Number.isInteger(number)) return mismatch;
      if ((rule.lo !== null && number < rule.lo) || (rule.hi !== null && number > rule.hi)) {
        return v2004 ? "407" : "405";
      }
    }
    return "";
  }

  function post(finished) {
    if (!config.commit_url) return;
    seq += 1;
    const body = JSON.stringify({ values: changed, finished, session: config.session, seq });
    fetch(config.commit_url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
      keepalive: body.length < 60000,
      credentials: "omit",
    })
      .then((response) => response.json().then((data) => ({ ok: response.ok, data })))
      .then(({ ok, data }) => {
        if (window.parent !== window) {
          window.parent.postMessage({ source: "openvet-sco", ok, data }, "*");
        }
      })
      .catch(() => undefined); // the next commit carries the same values again
  }

  function initialize(param) {
    if (param !== "" && param !== undefined) return fail("201", "false");
    if (state === "running") return fail(v2004 ? "103" : "101", "false");
    if (state === "ended") return fail(v2004 ? "104" : "101", "false");
    state = "running";
    return pass("true");
  }

  function terminate(param) {
    if (param !== "" && param !== undefined) return fail("201", "false");
    if (state === "new") return fail(v2004 ? "112" : "301", "false");
    if (state === "ended") return fail(v2004 ? "113" : "101", "false");
    state = "ended";
    post(true);
    return pass("true");
  }

  function getValue(element) {
    if (state !== "running") {
      return fail(v2004 ? (state === "new" ? "122" : "123") : "301", "");
    }
    element = String(element || "");
    if (!element) return fail(v2004 ? "301" : "201", "");
    if (element.endsWith("._children")) {
      const found = children(element.slice(0, -10));
      return found.length ? pass(found.join(",")) : fail(v2004 ? "301" : "202", "");
    }
    if (element.endsWith("._count")) {
      const prefix = element.slice(0, -7);
      return isArray(prefix) ? pass(String(count(prefix))) : fail(v2004 ? "301" : "203", "");
    }
    const rule = rules[generic(element)];
    if (!rule) return fail(v2004 || element.startsWith("cmi.") ? "401" : "201", "");
    if (rule.a === "wo") return fail(v2004 ? "405" : "404", "");
    if (!(element in values)) {
      if (!v2004) return pass("");
      return fail(/\.\d+\./.test(element) ? "301" : "403", "");
    }
    return pass(values[element]);
  }

  function setValue(element, value) {
    if (state !== "running") {
      return fail(v2004 ? (state === "new" ? "132" : "133") : "301", "false");
    }
    element = String(element || "");
    value = value === undefined || value === null ? "" : String(value);
    if (/\._(children|count|version)$/.test(element)) return fail(v2004 ? "404" : "402", "false");
    if (!indexesOk(element)) return fail(v2004 ? "351" : "201", "false");
    const code = check(element, value);
    if (code) return fail(code, "false");
    values[element] = value;
    changed[element] = value;
    return pass("true");
  }

  function commit(param) {
    if (param !== "" && param !== undefined) return fail("201", "false");
    if (state !== "running") {
      return fail(v2004 ? (state === "new" ? "142" : "143") : "301", "false");
    }
    post(false);
    return pass("true");
  }

  const lastErrorOf = () => lastError;
  const errorString = (code) => words[String(code)] || "";
  const diagnostic = (code) => words[String(code || lastError)] || "";

  if (v2004) {
    window.API_1484_11 = {
      Initialize: initialize,
      Terminate: terminate,
      GetValue: getValue,
      SetValue: setValue,
      Commit: commit,
      GetLastError: lastErrorOf,
      GetErrorString: errorString,
      GetDiagnostic: diagnostic,
    };
  } else {
    window.API = {
      LMSInitialize: initialize,
      LMSFinish: terminate,
      LMSGetValue: getValue,
      LMSSetValue: setValue,
      LMSCommit: commit,
      LMSGetLastError: lastErrorOf,
      LMSGetErrorString: errorString,
      LMSGetDiagnostic: diagnostic,
    };
  }

  // A SCO that never finishes (the learner closes the page) still has its last values kept.
  window.addEventListener("pagehide", () => {
    if (state === "running" && Object.keys(changed).length) post(false);
  });

  const frame = document.getElementById("sco-frame");
  frame.src = frame.dataset.src;
})();
