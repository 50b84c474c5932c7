/* FAKE OneTrust, for rtp_py's tests only: `OnetrustActiveGroups`, `OneTrust.IsAlertBoxClosed()` and
   `OneTrust.OnConsentChanged(callback)`, as OneTrust documents them, and nothing more. The test plays the
   visitor with fakeOneTrust.choose(groups); until then only strictly necessary cookies (C0001) are on. */
(function (w) {
  var closed = false, callbacks = [];
  w.OnetrustActiveGroups = ",C0001,";
  w.OneTrust = {
    IsAlertBoxClosed: function () { return closed; },
    OnConsentChanged: function (callback) { callbacks.push(callback); }
  };
  w.fakeOneTrust = {
    choose: function (groups) {
      w.OnetrustActiveGroups = "," + ["C0001"].concat(groups).join(",") + ",";
      closed = true;
      callbacks.forEach(function (callback) { callback(new CustomEvent("consent.onetrust", {detail: groups})); });
    }
  };
})(window);
