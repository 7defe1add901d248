// The search page: Pagefind's index of this site, queried in the browser. Results are built
// as DOM nodes; an excerpt keeps only its text and Pagefind's <mark> highlights.
const form = document.getElementById("search-form");
const input = document.getElementById("search-query");
const selects = [...document.querySelectorAll("select[data-filter]")];
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
// One index per release, newest first: the newest brings Pagefind's code, the others merge in.
async function openIndex(bundles) {
  const found = await import(`${bundles[0]}pagefind.js`);
  await found.init();
  await Promise.all(bundles.slice(1).map((bundle) => found.mergeIndex(bundle)));
  const available = await found.filters();
  for (const select of selects) {
    for (const value of Object.keys(available[select.dataset.filter] || {}).sort()) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.append(option);
    }
  }
  return found;
}

const bundles = form.dataset.bundles.split(" ").filter(Boolean);
const pagefind = bundles.length ? await openIndex(bundles) : null;

function excerptNodes(html) {
  const holder = document.createElement("template");
  holder.innerHTML = html;  // a template's content is inert: nothing in it loads or runs
  return [...holder.content.childNodes].map((node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent);
  });
}

function resultItem(data) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const excerpt = document.createElement("p");
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(link, excerpt);
  const parts = document.createElement("ul");
  for (const sub of (data.sub_results || []).slice(0, 3)) {
    const part = document.createElement("li");
    const subLink = document.createElement("a");
    subLink.href = sub.url;
    subLink.textContent = sub.title;
    part.append(subLink);
    parts.append(part);
  }
  if (parts.childElementCount) item.append(parts);
  return item;
}

async function run() {
  if (!pagefind) {
    status.textContent = "This site was built without its search index (apidiff site --no-search).";
    return;
  }
  const query = input.value.trim();
  const filters = {};
  for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
  if (!query && !Object.keys(filters).length) return;
  status.textContent = "Searching…";
  const search = await pagefind.search(query || null, { filters });
  const found = await Promise.all(search.results.slice(0, 30).map((result) => result.data()));
  list.replaceChildren(...found.map(resultItem));
  status.textContent = `${search.results.length} pages found` +
    (search.results.length > found.length ? `, the first ${found.length} shown.` : ".");
}

const asked = new URLSearchParams(location.search);
input.value = asked.get("q") || "";
for (const select of selects) select.value = asked.get(select.name) || "";
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const select of selects) if (select.value) params.set(select.name, select.value);
  history.replaceState(null, "", `?${params}`);
  run();
});
run();
