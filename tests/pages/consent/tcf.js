/* FAKE IAB TCF v2.2 CMP, for rtp_py's tests only: `__tcfapi("addEventListener" | "removeEventListener", 2,
   callback)` as the CMP API v2 documents them, and nothing more. The test plays the visitor with
   fakeTcf.choose(purposes) or fakeTcf.notApplicable(). Until then the banner is showing ("cmpuishown"). */
(function (w) {
  var listeners = {}, next = 1;
  var data = {tcString: "", gdprApplies: true, eventStatus: "cmpuishown", cmpStatus: "loaded",
              purpose: {consents: {}, legitimateInterests: {}}, vendor: {consents: {}, legitimateInterests: {}}};
  function tell(id) { listeners[id](Object.assign({}, data, {listenerId: id}), true); }
  w.__tcfapi = function (command, version, callback, parameter) {
    if (version !== 2) return callback(null, false);
    if (command === "addEventListener") { var id = next++; listeners[id] = callback; tell(id); }
    else if (command === "removeEventListener") { callback(delete listeners[parameter]); }
    else callback(null, false);
  };
  w.fakeTcf = {
    choose: function (purposes, vendors) {
      var consents = {}, vendorConsents = {};
      for (var n = 1; n <= 11; n++) consents[n] = purposes.indexOf(n) >= 0;
      (vendors || []).forEach(function (v) { vendorConsents[v] = true; });
      data = Object.assign({}, data, {eventStatus: "useractioncomplete", tcString: "CP-fake",
                                      purpose: {consents: consents, legitimateInterests: {}},
                                      vendor: {consents: vendorConsents, legitimateInterests: {}}});
      Object.keys(listeners).forEach(tell);
    },
    notApplicable: function () {
      data = {gdprApplies: false, tcfPolicyVersion: 5, cmpId: 1, cmpVersion: 1, eventStatus: "tcloaded"};
      Object.keys(listeners).forEach(tell);
    }
  };
})(window);
