// Resumable uploads with tus-js-client: each chosen file is sent in chunks to the tus
// endpoint; an interrupted upload resumes from the offset the server holds (the client keeps
// the upload's address in localStorage). The keys of finished uploads go into the form.
(function () {
  "use strict";

  function setUp(input) {
    var form = input.form;
    var keys = form.querySelector("input[name=upload_keys]");
    var status = document.getElementById(input.dataset.status);
    var bar = document.getElementById(input.dataset.progress);
    var submit = form.querySelector("button[type=submit]");
    var done = [];

    function say(text) { status.textContent = text; }

    function send(files, index) {
      if (index >= files.length) {
        keys.value = done.join(",");
        submit.disabled = false;
        say(input.dataset.doneText);
        return;
      }
      var file = files[index];
      var upload = new tus.Upload(file, {
        endpoint: input.dataset.endpoint,
        chunkSize: 1024 * 1024,
        retryDelays: [0, 1000, 3000, 5000],
        removeFingerprintOnSuccess: true,
        metadata: { filename: file.name },
        headers: { "X-CSRFToken": input.dataset.csrf },
        onError: function (error) {
          var body = error.originalResponse ? error.originalResponse.getBody() : "";
          var message = input.dataset.failedText;
          try { message = JSON.parse(body).message || message; } catch (e) { /* not JSON */ }
          say(message);
          submit.disabled = false;
        },
        onProgress: function (sent, total) {
          var percent = Math.floor((sent / total) * 100);
          bar.value = percent;
          say(input.dataset.progressText.replace("%(name)s", file.name).replace("%(percent)s", percent));
        },
        onSuccess: function () {
          done.push(upload.url.split("/").pop());
          send(files, index + 1);
        }
      });
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) { upload.resumeFromPreviousUpload(previous[0]); }
        upload.start();
      });
    }

    input.addEventListener("change", function () {
      done = [];
      keys.value = "";
      if (!input.files.length) { return; }
      submit.disabled = true;
      send(Array.prototype.slice.call(input.files), 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-endpoint]").forEach(setUp);
  });
})();
