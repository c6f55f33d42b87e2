/*
 * The simulated buyer chat (templates/careers/_chat_test.html).
 * The server delivers each buyer message and times each reply; this script only asks for the next
 * message when the server says it is due, shows the conversation and a countdown of the job's norm until
 * the first reply to the newest message, lets the candidate send several replies to a message (a quick
 * "亲，在的", then the answer), keeps paste out, never sends a half-composed input-method string, and puts
 * the signed result into the form's hidden input when the chat is finished.
 */
(function () {
  "use strict";

  if (window.chatTestLoaded) {
    return;
  }
  window.chatTestLoaded = true;
  var fill = window.PortalWidgets.fill;
  var show = window.PortalWidgets.show;
  var post = window.PortalWidgets.post;

  // one number format for every time the widget shows: "9.3", "11.0"
  function secondsText(value) {
    return Number(value).toFixed(1);
  }

  function newReplyId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function init(root) {
    if (root.dataset.chatReady) {
      return;
    }
    root.dataset.chatReady = "1";

    function part(name) {
      return root.querySelector("[data-chat=" + name + "]");
    }

    var form = root.closest("form");
    var el = {
      alert: part("alert"),
      start: part("start"),
      win: part("window"),
      log: part("log"),
      typing: part("typing"),
      countdown: part("countdown"),
      compose: part("compose"),
      input: part("input"),
      send: part("send"),
      finishing: part("finishing"),
      finishHint: part("finish-hint"),
      finish: part("finish"),
      done: part("done"),
      result: form && form.querySelector("input[name=" + root.dataset.field + "]")
    };
    var norm = parseFloat(root.dataset.norm) || 15;
    var waitingPlaceholder = el.input.placeholder;
    var state = {
      session: null,
      latest: null, // the newest buyer message delivered
      draft: null, // the message the reply being typed answers: the newest one when typing began
      pending: null, // the reply being sent {id, index, text}: a retry of the same reply keeps its id
      canFinish: false,
      done: false,
      finishAfter: 60,
      composing: false,
      pastes: 0,
      timer: null,
      ticker: null,
      busy: false,
      sending: null
    };

    var alertMessage = window.PortalWidgets.alerter(el.alert);

    function failed(error) {
      alertMessage((error && error.serverMessage) || root.dataset.msgFailed);
    }

    function bubble(kind, text, seconds, first) {
      var item = document.createElement("li");
      item.className = "chat-bubble chat-" + kind;
      var body = document.createElement("div");
      body.className = "chat-text";
      body.textContent = text;
      item.appendChild(body);
      if (seconds !== undefined && seconds !== null) {
        // the first reply's time is the response time: against the norm; later replies in grey
        var meta = document.createElement("div");
        meta.className = "chat-meta " +
          (!first ? "text-body-secondary" : seconds <= norm ? "text-success" : "text-danger");
        meta.textContent = fill(root.dataset.secondsTemplate || "", { seconds: secondsText(seconds) });
        item.appendChild(meta);
      }
      el.log.appendChild(item);
      el.log.scrollTop = el.log.scrollHeight; // the newest message, without scrolling the whole page
      item.scrollIntoView({ block: "nearest" });
    }

    function stopCountdown() {
      window.clearInterval(state.ticker);
      state.ticker = null;
      show(el.countdown, false);
    }

    // the job's norm counting down from the message's arrival (`since` seconds ago) to the first reply;
    // shown only: the server measures the time
    function countdown(since) {
      stopCountdown();
      var arrived = Date.now() - (since || 0) * 1000;
      function tick() {
        var left = norm - (Date.now() - arrived) / 1000;
        el.countdown.classList.toggle("chat-countdown-hurry", left > 0 && left <= 5);
        el.countdown.classList.toggle("chat-countdown-late", left <= 0);
        el.countdown.textContent = left > 0 ?
          fill(root.dataset.countdownTemplate || "", { seconds: secondsText(Math.ceil(left * 10) / 10) }) :
          root.dataset.overdueTemplate || "";
      }
      tick();
      show(el.countdown, true);
      state.ticker = window.setInterval(tick, 100);
    }

    function canType(on) {
      el.input.disabled = !on;
      el.send.disabled = !on || state.busy;
      el.input.placeholder = on ? root.dataset.placeholderReply : waitingPlaceholder;
    }

    function arrive(index, text, since) {
      if (state.latest !== null && index <= state.latest) {
        return; // already shown (an answer to an earlier request that arrived late)
      }
      bubble("buyer", text);
      state.latest = index;
      countdown(since);
      canType(true);
      el.input.focus();
    }

    function canFinish() {
      state.canFinish = true;
      el.finishHint.textContent = fill(root.dataset.finishTemplate || "", { seconds: state.finishAfter });
      show(el.finishing, true);
    }

    function finished(result) {
      state.done = true;
      root.classList.add("chat-finished");
      window.clearTimeout(state.timer);
      stopCountdown();
      canType(false);
      // nothing left to do in the chat: no box waiting for input, no pale Send button
      show(el.typing, false);
      show(el.compose, false);
      show(el.finishing, false);
      show(el.done, true);
      if (el.result && result) {
        el.result.value = result;
      }
    }

    function schedule(seconds) {
      window.clearTimeout(state.timer);
      state.timer = window.setTimeout(next, Math.max(200, seconds * 1000));
    }

    function next(attempt) {
      attempt = typeof attempt === "number" ? attempt : 0;
      window.clearTimeout(state.timer);
      post(root, root.dataset.nextUrl, { session: state.session }).then(function (data) {
        if (state.done) {
          return;
        }
        if (el.alert.textContent === root.dataset.msgFailed) {
          alertMessage(""); // the network is back
        }
        show(el.typing, data.wait !== undefined);
        if (data.done) {
          finished(data.result);
        } else if (data.index !== undefined) {
          arrive(data.index, data.text, 0);
        } else if (data.wait !== undefined) {
          schedule(data.wait);
        } else if (data.awaiting_reply !== undefined) {
          canType(true);
          if (state.ticker === null) {
            countdown(data.since);
          }
        } else if (data.can_finish) {
          canFinish();
          schedule(data.finish_in); // the server ends the run by itself then
        }
      }).catch(function (error) {
        if (error.serverMessage || attempt >= 5) {
          failed(error);
          return;
        }
        // the network dropped (a phone changing cells): asking again is safe, the server decides what is due
        alertMessage(root.dataset.msgFailed);
        state.timer = window.setTimeout(function () { next(attempt + 1); }, 1000 * Math.pow(2, attempt));
      });
    }

    function begin(data) {
      state.session = data.session;
      state.finishAfter = data.finish_after || state.finishAfter;
      show(el.start, false);
      show(el.win, true); // visible first: the conversation so far scrolls into view as it is drawn
      el.log.textContent = "";
      data.turns.forEach(function (turn, i) {
        bubble("buyer", turn.text);
        state.latest = i;
        turn.replies.forEach(function (reply, k) {
          bubble("me", reply.text, reply.seconds, k === 0);
        });
        if (!turn.replies.length) {
          countdown(turn.since);
        }
      });
      el.log.scrollTop = el.log.scrollHeight;
      if (data.done) {
        finished(data.result);
      } else {
        canType(state.latest !== null);
        next();
      }
    }

    function start() {
      alertMessage("");
      el.start.disabled = true;
      post(root, root.dataset.startUrl, {}).then(begin).catch(function (error) {
        el.start.disabled = false;
        failed(error);
      });
    }

    // send what is in the box; `force`: the Send button or finishing, which do not wait for the input method
    function send(force) {
      var text = el.input.value.trim();
      if (state.busy) {
        return state.sending; // finishing waits for the reply on its way
      }
      if (!text || state.latest === null || state.done || (state.composing && !force)) {
        return Promise.resolve();
      }
      var index = state.draft !== null ? state.draft : state.latest;
      if (!state.pending || state.pending.text !== text || state.pending.index !== index) {
        state.pending = { id: newReplyId(), index: index, text: text };
      }
      state.busy = true;
      el.send.disabled = true;
      state.sending = post(root, root.dataset.replyUrl, {
        session: state.session, index: index, text: text, pastes: state.pastes, reply_id: state.pending.id
      }).then(function (data) {
        state.busy = false;
        state.pending = null;
        state.pastes = 0;
        if (el.input.value.trim() === text) {
          el.input.value = "";
          state.draft = null;
        }
        alertMessage("");
        bubble("me", text, data.seconds, data.first);
        if (data.first && index === state.latest) {
          stopCountdown();
        }
        canType(true);
        if (data.can_finish) {
          canFinish();
        }
        next(); // the next message is due its delay after this reply
      }).catch(function (error) {
        state.busy = false;
        canType(!state.done);
        failed(error);
        if (error.serverMessage) {
          next(); // e.g. the run ended meanwhile: the server says so
        }
        throw error;
      });
      return state.sending;
    }

    function finish() {
      if (state.done) {
        return Promise.resolve();
      }
      el.finish.disabled = true;
      // a reply still in the box goes out first rather than being lost
      return send(true).then(function () {
        return post(root, root.dataset.finishUrl, { session: state.session });
      }).then(function (data) {
        finished(data.result);
      }).catch(function (error) {
        el.finish.disabled = false;
        failed(error);
        throw error;
      });
    }

    el.start.addEventListener("click", start);
    el.send.addEventListener("click", function () { send(true).catch(function () {}); });
    el.finish.addEventListener("click", function () { finish().catch(function () {}); });
    el.input.addEventListener("compositionstart", function () { state.composing = true; });
    el.input.addEventListener("compositionend", function () { state.composing = false; });
    el.input.addEventListener("input", function () {
      // a reply answers the newest message at the time the candidate began typing it, even if another
      // buyer message arrives before it is sent
      if (!el.input.value.trim()) {
        state.draft = null;
      } else if (state.draft === null) {
        state.draft = state.latest;
      }
    });
    el.input.addEventListener("keydown", function (event) {
      // Enter sends, except while the input method is composing (Enter then picks the candidate word);
      // WebKit ends the composition before that keydown and marks it only with keyCode 229
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !state.composing &&
          event.keyCode !== 229) {
        event.preventDefault();
        send(false).catch(function () {});
      }
    });
    ["paste", "drop"].forEach(function (type) {
      el.input.addEventListener(type, function (event) {
        event.preventDefault();
        state.pastes += 1;
        alertMessage(root.dataset.msgPaste);
      });
    });
    if (form) {
      // every buyer message answered but "finish" not pressed: finish, then submit as asked
      form.addEventListener("submit", function (event) {
        if (state.done || !state.canFinish) {
          return;
        }
        event.preventDefault();
        var submitter = event.submitter;
        finish().then(function () {
          form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
        }).catch(function () {});
      });
    }
    // shown again after a validation error elsewhere in the form: show the finished run again. Not when
    // the chat itself was refused (its error is shown): a new run starts only when the candidate says so.
    if (el.result && el.result.value && !root.querySelector("[data-chat=error]")) {
      start();
    }
  }

  window.PortalWidgets.boot("[data-chat-test]", init);
})();
