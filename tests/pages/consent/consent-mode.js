/* Google Consent Mode v2 as a site sets it up (gtag's documented lines; no Google code): the default
   denies until the visitor chooses, and the test calls gtag("consent", "update", {...}) for the visitor. */
window.dataLayer = window.dataLayer || [];
function gtag() { window.dataLayer.push(arguments); }
gtag("consent", "default", {ad_storage: "denied", ad_user_data: "denied", ad_personalization: "denied",
                            analytics_storage: "denied", wait_for_update: 500});
