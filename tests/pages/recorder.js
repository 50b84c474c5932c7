// Stands in for the page's rtp in the tests of Marketo's documented calls (tests/e2e/test_documented.py):
// it records each call's arguments as JSON data (a function as {"function": true}), notes whether every
// object argument is a plain object, and answers `get visitor` after a task with the answer in
// window.rtpAnswer, as the real tag answers after a network round trip.
(function (w) {
  w.recorded = [];
  w.rtp = function () {
    var args = Array.prototype.slice.call(arguments);
    w.recorded.push(args.map(function (arg) {
      if (typeof arg === "function") return {"function": true};
      if (arg !== null && typeof arg === "object" && !Array.isArray(arg) &&
          Object.getPrototypeOf(arg) !== Object.prototype) return {"not a plain object": String(arg)};
      return JSON.parse(JSON.stringify(arg));
    }));
    if (args[0] === "get" && args[1] === "visitor") setTimeout(function () { args[2](w.rtpAnswer); }, 0);
  };
})(window);
