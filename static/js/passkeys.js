// Passkeys: prepares django-otp-webauthn's script (loaded next, as a module) without inline
// script, in the page's language, and shows the offer to add a passkey where it can work.
// Without JavaScript none of this shows and signing in with the password works as before.
(function () {
  "use strict";

  var settings = document.getElementById("passkey-settings");
  if (settings) {
    // The package reads its settings from the text of #otp_webauthn_config (its own template
    // tag writes an inline JSON script there, which our CSP rules out).
    var config = document.createElement("div");
    config.id = "otp_webauthn_config";
    config.hidden = true;
    config.textContent = settings.getAttribute("data-config");
    document.body.appendChild(config);

    // Its messages go through gettext(); ours are in data-words, in the page's language.
    var words = JSON.parse(settings.getAttribute("data-words") || "{}");
    if (typeof window.gettext !== "function") {
      window.gettext = function (text) {
        return Object.prototype.hasOwnProperty.call(words, text) ? words[text] : text;
      };
    }

    // Signing in with a passkey on the sign-in page: tell the server the "Stay signed in"
    // box as it is now (a short-lived cookie for the passkey sign-in address only).
    var stay = document.querySelector("input[type=checkbox][name=remember]");
    if (stay) {
      document.addEventListener("otp_webauthn.verification_start", function () {
        document.cookie = "passkey_stay=" + (stay.checked ? "1" : "0") +
          "; path=" + settings.getAttribute("data-stay-path") + "; max-age=600; samesite=strict" +
          (window.location.protocol === "https:" ? "; secure" : "");
      });
    }

    // A new passkey: show the list with it (the server has put a message there).
    var afterRegister = settings.getAttribute("data-after-register");
    if (afterRegister) {
      document.addEventListener("otp_webauthn.register_complete", function () {
        window.location.assign(afterRegister);
      });
    }
  }

  // "Sign in faster next time": only on a device that unlocks with a fingerprint, face or PIN.
  var offer = document.querySelector("[data-passkey-offer]");
  var credential = window.PublicKeyCredential;
  if (offer && credential && credential.isUserVerifyingPlatformAuthenticatorAvailable) {
    credential.isUserVerifyingPlatformAuthenticatorAvailable().then(function (available) {
      offer.hidden = !available;
    }, function () {});
  }
})();
