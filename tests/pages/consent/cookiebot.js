/* FAKE Cookiebot, for rtp_py's tests only: `Cookiebot.consent`, `Cookiebot.hasResponse` and the window events
   `CookiebotOnAccept` / `CookiebotOnDecline`, as Cookiebot documents them, and nothing more. The test plays
   the visitor with fakeCookiebot.choose(marketing). */
(function (w) {
  var bot = w.Cookiebot = {hasResponse: false,
                           consent: {necessary: true, preferences: false, statistics: false, marketing: false}};
  w.fakeCookiebot = {
    choose: function (marketing) {
      bot.hasResponse = true;
      bot.consent.marketing = marketing;
      w.dispatchEvent(new Event(marketing ? "CookiebotOnAccept" : "CookiebotOnDecline"));
    }
  };
})(window);
