// Runs the built site's own search worker (Material's, as patched by sitekit/search.py) in Node,
// exactly as the browser runs it, and prints what it answers to each query.
//
//   node tests/search_worker.js <site>/assets/javascripts/workers/search.*.min.js <index.json> < queries.json
//
// queries.json is a JSON list of strings (what a reader types or pastes into the search box).
// The output is one entry per query: the result groups in the order the search box shows them
// (one group per page), each a list of {location, title, score, marks}, best first; marks are
// the highlighted words (<mark>) of the item's title and text.
// Used by tests/test_site_build.py and tests/test_search.py; needs no npm package.

"use strict"

const fs = require("fs")
const path = require("path")
const vm = require("vm")

const [workerPath, indexPath] = process.argv.slice(2)
const SETUP = 0
const QUERY = 2

// The worker's global scope: `self`, `importScripts` (the lunr language files next to it),
// `addEventListener("message")` and `postMessage`.
let listener
let reply
globalThis.self = globalThis
globalThis.addEventListener = (type, fn) => {
  if (type === "message") listener = fn
}
globalThis.importScripts = (...urls) => {
  for (const url of urls) {
    const file = path.resolve(path.dirname(workerPath), url)
    vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file })
  }
}
globalThis.postMessage = message => reply(message)
vm.runInThisContext(fs.readFileSync(workerPath, "utf8"), { filename: workerPath })

function send(data) {
  return new Promise(resolve => {
    reply = resolve
    listener({ data })
  })
}

function marks(html) {
  return [...(html || "").matchAll(/<mark>(.*?)<\/mark>/g)].map(match => match[1])
}

async function main() {
  const index = JSON.parse(fs.readFileSync(indexPath, "utf8"))
  const queries = JSON.parse(fs.readFileSync(0, "utf8"))
  await send({
    type: SETUP,
    data: { config: index.config, docs: index.docs, options: { suggest: false } }
  })
  const answers = []
  for (const query of queries) {
    const { data } = await send({ type: QUERY, data: query })
    answers.push(data.items.map(group => group.map(({ location, title, text, score }) => ({
      location, title, score, marks: marks(title).concat(marks(text))
    }))))
  }
  process.stdout.write(JSON.stringify(answers))
}

main().catch(error => {
  console.error(error)
  process.exit(1)
})
