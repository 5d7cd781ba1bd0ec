// The teacher's live list refreshes itself every few seconds. A refresh would throw away a
// status the teacher has chosen but not yet saved, so it waits while a form of the list is in
// use (focused) or holds a changed choice.
(function () {
  "use strict";
  function changed(select) {
    var initial = 0;
    for (var i = 0; i < select.options.length; i += 1) {
      if (select.options[i].defaultSelected) {
        initial = i;
      }
    }
    return select.selectedIndex !== initial;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var live = document.getElementById("live");
    if (!live || event.detail.elt !== live) {
      return;
    }
    var focused = document.activeElement && live.contains(document.activeElement);
    var dirty = Array.prototype.some.call(live.querySelectorAll("select"), changed);
    if (focused || dirty) {
      event.preventDefault();
    }
  });
})();
