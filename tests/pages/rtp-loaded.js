// Stands in for Marketo's rtp.js in the tests of insert_tag: it only records the URL it was loaded from.
window.rtpLoadedFrom = document.currentScript.src;
