// The timeline page works without this script: the chart's marks are links
// to the events in the list, and each event is a <details> element. The
// script adds a panel under the chart that shows the chosen event, keyboard
// moves between marks, zoom, and opening or closing every event at once.
// It reads the page and builds no markup from text: the panel is a copy of
// the event's own, already escaped, elements.
(function () {
  "use strict";
  var doc = document;
  var plot = doc.querySelector(".plot");
  var scroll = doc.querySelector(".scroll");
  var panel = doc.getElementById("panel");
  var marks = plot ? Array.prototype.slice.call(plot.querySelectorAll("a.mark")) : [];
  var byTarget = {};
  var zoom = 1;
  var ZOOM_MAX = 64;

  marks.forEach(function (mark, index) {
    byTarget[mark.getAttribute("href").slice(1)] = index;
  });

  Array.prototype.forEach.call(doc.querySelectorAll("[data-js]"), function (element) {
    element.hidden = false;
  });

  function current(mark) {
    marks.forEach(function (other) {
      if (other === mark) {
        other.setAttribute("aria-current", "true");
      } else {
        other.removeAttribute("aria-current");
      }
    });
  }

  function show(mark) {
    var target = mark.getAttribute("href").slice(1);
    var details = doc.getElementById(target);
    if (!details) {
      return;
    }
    details.open = true;
    current(mark);
    if (!panel) {
      return;
    }
    var heading = doc.createElement("h3");
    heading.textContent = details.querySelector("summary .title").textContent;
    heading.setAttribute("dir", "auto");
    var kind = doc.createElement("p");
    kind.className = "kind";
    kind.textContent = details.querySelector("summary .kind").textContent;
    var link = doc.createElement("a");
    link.href = "#" + target;
    link.textContent = "Show in the list";
    var more = doc.createElement("p");
    more.appendChild(link);
    var body = details.querySelector(".body").cloneNode(true);
    panel.className = "panel " + (mark.getAttribute("class") || "").split(" ").filter(function (name) {
      return /^c[0-9]+$/.test(name);
    }).join(" ");
    panel.replaceChildren(heading, kind, body, more);
    panel.hidden = false;
  }

  function focusMark(index) {
    var mark = marks[Math.max(0, Math.min(marks.length - 1, index))];
    if (mark) {
      mark.focus();
    }
  }

  if (plot) {
    plot.addEventListener("click", function (event) {
      var mark = event.target.closest("a.mark");
      if (mark) {
        event.preventDefault();
        show(mark);
      }
    });
    plot.addEventListener("keydown", function (event) {
      var mark = event.target.closest("a.mark");
      if (!mark) {
        return;
      }
      var index = marks.indexOf(mark);
      var moves = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1,
                    ArrowUp: index - 1, Home: 0, End: marks.length - 1 };
      if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        show(mark);
      } else if (Object.prototype.hasOwnProperty.call(moves, event.key)) {
        event.preventDefault();
        focusMark(moves[event.key]);
      }
    });
  }

  doc.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.open && details.classList && details.classList.contains("event")) {
      var index = byTarget[details.id];
      if (index !== undefined) {
        current(marks[index]);
      }
    }
  }, true);

  function setZoom(value) {
    if (!plot || !scroll) {
      return;
    }
    var centre = (scroll.scrollLeft + scroll.clientWidth / 2) / scroll.scrollWidth;
    zoom = Math.max(1, Math.min(ZOOM_MAX, value));
    plot.style.width = zoom * 100 + "%";
    scroll.scrollLeft = centre * scroll.scrollWidth - scroll.clientWidth / 2;
    var label = doc.getElementById("zoom-level");
    if (label) {
      label.textContent = zoom + "×";
    }
  }

  doc.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) {
      return;
    }
    var action = button.getAttribute("data-action");
    if (action === "zoom-in") {
      setZoom(zoom * 2);
    } else if (action === "zoom-out") {
      setZoom(zoom / 2);
    } else if (action === "open-all" || action === "close-all") {
      Array.prototype.forEach.call(doc.querySelectorAll("details.event"), function (details) {
        details.open = action === "open-all";
      });
    }
  });

  if (location.hash.length > 1) {
    var index = byTarget[decodeURIComponent(location.hash.slice(1))];
    if (index !== undefined) {
      show(marks[index]);
    }
  }
})();
