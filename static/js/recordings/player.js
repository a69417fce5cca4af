// The recording player: clicking a transcript (or chat) line seeks the video there, the line being
// spoken is highlighted and kept in view, and the search box filters the transcript.
const video = document.getElementById("rec-video");
const cues = [...document.querySelectorAll("#rec-cues .rec-cue")];

for (const line of document.querySelectorAll(".rec-cue")) {
  line.addEventListener("click", () => {
    if (!video) return;
    video.currentTime = Number(line.dataset.start);
    video.play().catch(() => {}); // autoplay rules may refuse; the seek stands
  });
}

// Chat replay: the message last sent before the current moment is marked, as if arriving live.
const chatLines = [...document.querySelectorAll("#rec-chat .rec-cue")];
let currentChat = null;
function highlightChat() {
  const now = video.currentTime;
  const sent = chatLines.filter((line) => Number(line.dataset.start) <= now);
  const latest = sent[sent.length - 1] || null;
  if (latest === currentChat) return;
  currentChat?.classList.remove("current");
  currentChat = latest;
  currentChat?.classList.add("current");
}

let current = null;
function highlight() {
  highlightChat();
  const now = video.currentTime;
  const found = cues.find((cue) => now >= Number(cue.dataset.start) && now < Number(cue.dataset.end)) || null;
  if (found === current) return;
  current?.classList.remove("current");
  current = found;
  if (current) {
    current.classList.add("current");
    current.setAttribute("aria-current", "true");
    current.scrollIntoView({ block: "nearest" });
  }
}
if (video) {
  video.addEventListener("timeupdate", highlight);
  video.addEventListener("seeked", highlight);
}

const search = document.getElementById("rec-search");
search?.addEventListener("input", () => {
  const words = search.value.trim().toLowerCase();
  for (const cue of cues) cue.parentElement.hidden = words !== "" && !cue.textContent.toLowerCase().includes(words);
});

for (const tab of document.querySelectorAll(".rec-tabs [role=tab]")) {
  tab.addEventListener("click", () => {
    for (const other of document.querySelectorAll(".rec-tabs [role=tab]")) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      document.getElementById(other.dataset.panel).hidden = !selected;
    }
  });
}
