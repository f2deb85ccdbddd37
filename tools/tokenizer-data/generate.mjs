// Build step: writes the o200k_base BPE ranks in the standard .tiktoken text format
// ("<base64 token bytes> <rank>" per line) from the js-tiktoken npm package, plus token counts
// of sample texts computed by js-tiktoken itself (the C++ tokenizer tests compare against them).
// Usage: node generate.mjs <output dir>. Runs at build time only; nothing is fetched at run time.
import { mkdirSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";

// The pre-tokenizer pattern the C++ side hard-codes (src/formats/tokenizer.cpp). A different
// pattern in a future js-tiktoken must fail the build rather than silently miscount.
const kExpectedPattern =
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+" +
  "('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?" +
  "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*" +
  "('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?" +
  "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const out = process.argv[2];
if (!out) {
  console.error("usage: node generate.mjs <output dir>");
  process.exit(2);
}
if (o200k.pat_str !== kExpectedPattern) {
  console.error("o200k_base pre-tokenizer pattern changed; update src/formats/tokenizer.cpp");
  process.exit(1);
}

// js-tiktoken's compact form: lines "<prefix> <first rank> <base64 token>..." with ranks
// consecutive along the line.
const lines = [];
for (const line of o200k.bpe_ranks.split("\n")) {
  if (!line) continue;
  const [, first, ...tokens] = line.split(" ");
  const offset = Number.parseInt(first, 10);
  tokens.forEach((token, i) => lines.push(`${token} ${offset + i}`));
}
if (lines.length < 199000) {
  console.error(`unexpectedly few ranks: ${lines.length}`);
  process.exit(1);
}

const samples = [
  "hello world",
  "Hello, world! How are you doing today?",
  "The quick brown fox jumps over the lazy dog.",
  "  leading spaces and trailing   ",
  "line one\nline two\r\n\r\nline four\n\n",
  "numbers 1234567890 and 3.14159 and -42",
  "I'm sure they'll say we've done it; you'D THINK so.",
  "Ünïcödé façade — naïve café, Straße, Ελληνικά, русский текст",
  "日本語のテキストと中文文本，还有한국어 텍스트.",
  "emoji 😀🎉👍🏽 and symbols ∑∫√ ≠ ≤",
  "function add(a, b) {\n  return a + b; // sum\n}\n",
  '{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}',
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "\t\ttabs\tand\u00a0nbsp\u2003em-space",
  "<|endoftext|> is text here, not a special token",
  "",
  // Pieces longer than the C++ quadratic merge handles (its heap path).
  "abcdefghij".repeat(300),
  "x".repeat(5000),
  "=".repeat(2000) + "\n",
  " ".repeat(3000) + "end",
  "supercalifragilisticexpialidocious".repeat(40),
];
const enc = new Tiktoken(o200k);
const expected = samples.map((text) => ({ text, tokens: enc.encode(text, [], []).length }));

mkdirSync(out, { recursive: true });
const ranksPath = join(out, "o200k_base.tiktoken");
writeFileSync(ranksPath + ".tmp", lines.join("\n") + "\n");
renameSync(ranksPath + ".tmp", ranksPath);
writeFileSync(join(out, "o200k_base.expected.json"), JSON.stringify(expected, null, 1) + "\n");
console.log(`o200k_base: ${lines.length} ranks -> ${ranksPath}`);
