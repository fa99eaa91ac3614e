// Prompt input with token chips (learned / not trained yet / unknown, embedding triggers, `<lora:…>` tags), autocomplete
// of tokens after "<" (with the list's LoRAs and `<…>` embedding triggers) and of plain-word embedding triggers, the
// expanded prompt the text encoder will see and its length against the encoder's limit (TokenizerPort
// countPromptTokens: CLIP reads 75 tokens between start and end; a longer prompt is cut, and the counter says where; words a closed vocabulary lacks are named). Calls store actions only. Reference: the studio's generation panel.
import { useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { expandPrompt, promptChips, promptEmbeddings, tokenSuggestions, wordTriggers } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';

const CHIP_TITLES = { learned: 'learned', untrained: 'not trained yet', unknown: 'unknown token', embedding: 'embedding', lora: 'LoRA', 'unknown-lora': 'no such LoRA in the list' } as const;

function partialToken(text: string, caret: number): string | null {
  const m = /<[^\s<>]*$/.exec(text.slice(0, caret));
  return m ? m[0] : null;
}

/** The word being typed (two characters or more), for plain-word embedding triggers. */
function partialWord(text: string, caret: number): string | null {
  const m = /(?<![\w<])[\w.-]{2,}$/.exec(text.slice(0, caret));
  return m ? m[0] : null;
}

function TokenChips({ prompt }: { prompt: string }) {
  const concepts = useStudio((s) => s.project.concepts);
  const learned = useStudio((s) => s.training.learnedTokens);
  const networks = useStudio((s) => s.networks.items);
  const chips = useMemo(() => promptChips(prompt, concepts, learned, networks), [prompt, concepts, learned, networks]);
  return (
    <>
      {chips.length > 0 && (
        <div className="chips" aria-label="Tokens in the prompt">
          {chips.map((c) => (
            <span key={c.token} className={`chip ${c.state}`} title={CHIP_TITLES[c.state]}>
              {c.token} · {CHIP_TITLES[c.state]}
            </span>
          ))}
        </div>
      )}
      {prompt && (
        <p className="preview" aria-label="expanded prompt">
          Text encoder sees: <code>{expandPrompt(prompt, concepts)}</code>
        </p>
      )}
      {prompt && <TokenBudget expanded={expandPrompt(prompt, concepts)} />}
    </>
  );
}

/** "12 / 75 tokens", or the cut when the expanded prompt is longer than the encoder reads. */
function TokenBudget({ expanded }: { expanded: string }) {
  const tokenizer = useStudio((s) => s.engine.tokenizer);
  const networks = useStudio((s) => s.networks.items);
  const embeddings = useMemo(() => promptEmbeddings(networks), [networks]);
  const budget = useMemo(() => (tokenizer?.countPromptTokens && expanded ? tokenizer.countPromptTokens(expanded, embeddings) : null), [tokenizer, expanded, embeddings]);
  if (!budget) return null;
  const isCut = budget.count > budget.limit;
  const nouns = tokenizer?.vocabulary?.nouns ?? [];
  return (
    <>
      <p className={isCut ? 'token-budget over' : 'token-budget'} data-testid="token-budget" role={isCut ? 'alert' : undefined}>
        {budget.count} / {budget.limit} tokens
        {isCut && `: the text encoder reads the first ${budget.limit}; the rest${budget.firstDropped ? `, from "${budget.firstDropped}",` : ''} is cut.`}
      </p>
      {budget.unknown && budget.unknown.length > 0 && (
        <p className="token-budget over" data-testid="unknown-words" role="status">
          Not in this model&apos;s vocabulary (each is read as an unknown token): {budget.unknown.map((w) => `"${w}"`).join(', ')}.
          {nouns.length > 0 && ` Its shapes are ${nouns.join(', ')}.`}
        </p>
      )}
    </>
  );
}

function TokenOptions({ options, highlight, onPick }: { options: readonly string[]; highlight: number; onPick(token: string): void }) {
  if (options.length === 0) return null;
  return (
    <ul id="token-options" role="listbox" className="autocomplete" aria-label="Token suggestions">
      {options.map((t, k) => (
        <li key={t} role="option" aria-selected={k === highlight} onMouseDown={(e) => (e.preventDefault(), onPick(t))}>
          {t}
        </li>
      ))}
    </ul>
  );
}

export function PromptField() {
  const store = useStudioStore();
  const prompt = useStudio((s) => s.generation.settings.prompt);
  const concepts = useStudio((s) => s.project.concepts);
  const learned = useStudio((s) => s.training.learnedTokens);
  const networks = useStudio((s) => s.networks.items);
  // the default model reads only its world grammar (src/train/data/captions.ts WORLD_CAPTIONS)
  const isDefaultModel = useStudio((s) => s.project.model.kind === 'default');
  const [caret, setCaret] = useState(0);
  const [highlight, setHighlight] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const token = partialToken(prompt, caret);
  const word = token === null ? partialWord(prompt, caret) : null;
  const partial = token ?? word;
  const options = useMemo(() => {
    if (token !== null) return tokenSuggestions(concepts, learned, networks).filter((t) => t.startsWith(token) && t !== token);
    return word === null ? [] : wordTriggers(networks).filter((t) => t.startsWith(word) && t !== word);
  }, [token, word, concepts, learned, networks]);
  const accept = (token: string): void => {
    const before = prompt.slice(0, caret - (partial?.length ?? 0));
    store.getState().updateGeneration({ prompt: `${before}${token} ${prompt.slice(caret)}` });
    setCaret(before.length + token.length + 1);
    area.current?.focus();
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (options.length === 0) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setHighlight((h) => (h + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      accept(options[Math.min(highlight, options.length - 1)]!);
    }
  };
  return (
    <div className="prompt-field">
      <label htmlFor="prompt">Prompt</label>
      <textarea
        id="prompt"
        ref={area}
        rows={3}
        value={prompt}
        placeholder={isDefaultModel ? 'a large <concept1> on a grey background' : 'a photo of <concept1> on a beach'}
        aria-autocomplete="list"
        aria-controls="token-options"
        onChange={(e) => {
          store.getState().updateGeneration({ prompt: e.target.value });
          setCaret(e.target.selectionStart ?? e.target.value.length);
          setHighlight(0);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
        onKeyDown={onKey}
      />
      <TokenOptions options={options} highlight={highlight} onPick={accept} />
      <TokenChips prompt={prompt} />
    </div>
  );
}
