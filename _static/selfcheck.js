/* Self-check questions (alliances/sphinx_selfcheck.py builds the markup;
   the questions and answers come from data/selfcheck.yml). No kernel, no
   network: each question carries its answer and feedback as JSON.

   - Choice: radio buttons (Tab to the group, arrow keys to choose).
   - Order: a list with Up and Down buttons on each item; focus stays on the
     button that was pressed, and the new position is announced.
   - Text: a text field; Enter checks. Accents, case and punctuation are
     ignored, as in alliances.selfcheck.normalise_answer.
   "Check answer" writes the verdict and its reason, with the cited passage,
   into a live region that screen readers announce. After two wrong tries
   "Show the answer" appears. Without this script the questions still show,
   with the answer behind "Show the answer".
*/
(function () {
  "use strict";

  function normalise(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function say(box, right, html) {
    box.innerHTML = "";
    var p = document.createElement("p");
    p.className = right ? "selfcheck-right" : "selfcheck-wrong";
    var verdict = document.createElement("strong");
    verdict.textContent = right ? "Correct. " : "Not quite. ";
    p.appendChild(verdict);
    var reason = document.createElement("span");
    reason.innerHTML = html;
    p.appendChild(reason);
    if (!right) {
      var again = document.createElement("span");
      again.textContent = " Try again.";
      p.appendChild(again);
    }
    box.appendChild(p);
  }

  function setUp(q) {
    var data = JSON.parse(q.querySelector("script.selfcheck-data").textContent);
    data.explanation = q.querySelector(".selfcheck-explanation").innerHTML;
    var form = q.querySelector("form.selfcheck-form");
    var box = q.querySelector(".selfcheck-feedback");
    var reveal = q.querySelector("details.selfcheck-reveal");
    var wrongTries = 0;
    q.querySelector(".selfcheck-actions").hidden = false;
    reveal.hidden = true;
    q.classList.add("selfcheck-live");

    if (data.kind === "order") {
      var list = q.querySelector("ol.selfcheck-order");
      list.querySelectorAll(".selfcheck-move").forEach(function (m) { m.hidden = false; });
      list.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-move]");
        if (!button) { return; }
        var item = button.closest("li");
        var step = parseInt(button.getAttribute("data-move"), 10);
        var items = Array.prototype.slice.call(list.children);
        var at = items.indexOf(item), to = at + step;
        if (to < 0 || to >= items.length) { return; }
        if (step < 0) { list.insertBefore(item, items[to]); }
        else { list.insertBefore(items[to], item); }
        button.focus();
        box.textContent = "\u201c" + item.querySelector(".selfcheck-item").textContent +
          "\u201d is now number " + (to + 1) + " of " + items.length + ".";
        q.classList.remove("selfcheck-is-right", "selfcheck-is-wrong");
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var right = false, html = "";
      if (data.kind === "choice") {
        var chosen = form.querySelector("input[type=radio]:checked");
        if (!chosen) {
          box.textContent = "Choose one of the answers first.";
          return;
        }
        var index = parseInt(chosen.value, 10);
        right = index === data.answer;
        html = right ? data.explanation : data.feedback[index];
      } else if (data.kind === "order") {
        var refs = Array.prototype.map.call(q.querySelectorAll("ol.selfcheck-order > li"),
          function (li) { return li.getAttribute("data-ref"); });
        var placed = refs.filter(function (ref, i) { return ref === data.answer[i]; }).length;
        right = placed === refs.length;
        html = right ? data.explanation :
          placed + " of " + refs.length + " items are in the right place. " + data.hint;
      } else {
        var input = form.querySelector("input[type=text]");
        var given = normalise(input.value);
        if (!given) {
          box.textContent = "Type an answer first.";
          input.focus();
          return;
        }
        right = data.answer.indexOf(given) >= 0;
        html = data.explanation;
        if (!right) {
          html = data.hint;
          data.wrong.forEach(function (pair) {
            if (pair[0].indexOf(given) >= 0) { html = pair[1]; }
          });
        }
        input.setAttribute("aria-invalid", right ? "false" : "true");
      }
      q.classList.toggle("selfcheck-is-right", right);
      q.classList.toggle("selfcheck-is-wrong", !right);
      say(box, right, html);
      if (!right) {
        wrongTries += 1;
        if (wrongTries >= 2) { reveal.hidden = false; }
      }
    });
  }

  document.querySelectorAll(".selfcheck-q").forEach(setUp);
  // A printed page shows the questions without their controls (selfcheck.css).
})();
