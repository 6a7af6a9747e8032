// Runs whatsapp-chat-parser (npm) on one file and prints how many messages it found.
// Usage: WCP=<path to node_modules/whatsapp-chat-parser> node peer.cjs FILE
const fs = require('fs');
const { parseString } = require(process.env.WCP);
const messages = parseString(fs.readFileSync(process.argv[2], 'utf8'));
console.log(messages.length);
