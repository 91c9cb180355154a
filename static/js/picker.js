// The people picker (accounts/picker.py): chosen people as chips with a "Retirer" button, a
// search as one types (htmx asks the form's search URL with the word being typed), results chosen
// by click or keyboard, and e-mail addresses turned into guests' chips where the field takes
// guests. Without this file the chips stay checkboxes and the text field takes addresses.
(function () {
  // Each picker's template names this file; the first copy to run sets them all up.
  if (window.peoplePickerReady) return;
  window.peoplePickerReady = true;
  var EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

  function currentWord(input) {
    var parts = input.value.split(/[,;\n\r]/);
    return parts[parts.length - 1].trim();
  }

  function dropCurrentWord(input) {
    var match = input.value.match(/^([\s\S]*[,;\n\r])?[^,;\n\r]*$/);
    input.value = match && match[1] ? match[1] : "";
  }

  function chipsOf(picker) {
    return picker.querySelector(".chips");
  }

  function addRemoveButton(picker, chip) {
    if (chip.querySelector(".chip-remove")) return;
    var label = chip.querySelector("label");
    var name = label ? label.textContent.trim() : "";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chip-remove";
    button.textContent = "×";
    button.setAttribute("aria-label", picker.dataset.removeLabel + " " + name);
    chip.appendChild(button);
  }

  function hasValue(picker, value) {
    return Array.prototype.some.call(picker.querySelectorAll(".chips input"), function (input) {
      return input.value.toLowerCase() === value.toLowerCase();
    });
  }

  function addChip(picker, value, text, guest) {
    if (hasValue(picker, value)) return;
    var chips = chipsOf(picker);
    if (picker.dataset.max === "1") chips.textContent = "";
    var chip = document.createElement("li");
    chip.className = guest ? "chip guest" : "chip";
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = picker.dataset.name;
    box.value = value;
    box.checked = true;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + text));
    if (guest) {
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " (" + picker.dataset.guestLabel + ")";
      label.appendChild(meta);
    }
    chip.appendChild(label);
    chips.appendChild(chip);
    addRemoveButton(picker, chip);
  }

  function clearResults(picker) {
    picker.querySelector(".picker-results").textContent = "";
  }

  function choose(picker, option) {
    var input = picker.querySelector(".picker-input");
    addChip(picker, option.dataset.value, option.dataset.label, option.hasAttribute("data-guest"));
    dropCurrentWord(input);
    clearResults(picker);
    input.focus();
  }

  // Every complete address typed becomes a guest's chip; what is left is still being typed.
  function takeAddresses(picker) {
    if (!picker.hasAttribute("data-guests")) return false;
    var input = picker.querySelector(".picker-input");
    var parts = input.value.split(/[,;\n\r]/);
    var rest = [];
    var taken = false;
    parts.forEach(function (part) {
      var word = part.trim();
      if (EMAIL.test(word)) {
        addChip(picker, word.toLowerCase(), word.toLowerCase(), true);
        taken = true;
      } else if (word) {
        rest.push(word);
      }
    });
    if (taken) {
      input.value = rest.join(", ");
      clearResults(picker);
    }
    return taken;
  }

  function options(picker) {
    return Array.prototype.slice.call(picker.querySelectorAll(".picker-option:not([disabled])"));
  }

  function setUp(picker) {
    picker.classList.add("picker-ready");
    picker.querySelectorAll(".chip").forEach(function (chip) {
      addRemoveButton(picker, chip);
    });
    var input = picker.querySelector(".picker-input");
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        var first = options(picker)[0];
        if (first) {
          event.preventDefault();
          first.focus();
        }
      } else if (event.key === "Enter" || event.key === ",") {
        var word = currentWord(input);
        if (picker.hasAttribute("data-guests") && EMAIL.test(word)) {
          event.preventDefault();
          addChip(picker, word.toLowerCase(), word.toLowerCase(), true);
          dropCurrentWord(input);
          clearResults(picker);
        } else if (event.key === "Enter" && options(picker).length) {
          event.preventDefault();
          choose(picker, options(picker)[0]);
        } else if (event.key === "Enter") {
          event.preventDefault();
        }
      } else if (event.key === "Escape") {
        clearResults(picker);
      }
    });
    input.addEventListener("paste", function () {
      window.setTimeout(function () {
        takeAddresses(picker);
      }, 0);
    });
    picker.addEventListener("click", function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (!target) return;
      var remove = target.closest(".chip-remove");
      if (remove) {
        remove.closest(".chip").remove();
        input.focus();
        return;
      }
      var option = target.closest(".picker-option");
      if (option && !option.disabled) choose(picker, option);
    });
    picker.addEventListener("keydown", function (event) {
      var option = event.target instanceof Element ? event.target.closest(".picker-option") : null;
      if (!option) return;
      var all = options(picker);
      var index = all.indexOf(option);
      if (event.key === "ArrowDown" && index < all.length - 1) {
        event.preventDefault();
        all[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (index > 0 ? all[index - 1] : input).focus();
      } else if (event.key === "Escape") {
        clearResults(picker);
        input.focus();
      }
    });
  }

  // The search asks for the word being typed, not the whole field (which holds earlier addresses).
  document.addEventListener("htmx:configRequest", function (event) {
    var input = event.detail.elt;
    var picker = input instanceof Element ? input.closest("[data-picker]") : null;
    if (!picker) return;
    var word = currentWord(input);
    if (word.length < 2) {
      event.preventDefault();
      clearResults(picker);
      return;
    }
    var parameters = event.detail.parameters;
    delete parameters[input.name];
    parameters.q = word;
  });

  document.querySelectorAll("[data-picker]").forEach(setUp);
})();
