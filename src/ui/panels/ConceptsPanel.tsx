// Concepts: 1–4 entries, each with mask colour, token, class word, its checks (errors and warnings) and the
// prompt preview "<cat1> → <cat1> cat"; choosing one makes it the painted mask. Calls store actions only.
// Reference: the studio's concepts panel.
import { exampleClassWord, expandPrompt, MAX_CONCEPTS, MIN_CONCEPTS, selectConceptChecks, selectMaskStats } from '../../state/index';
import type { Concept } from '../../state/index';
import type { Check } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';

function ConceptRow({ concept, index, checks, coverage }: { concept: Concept; index: number; checks: readonly Check[]; coverage: number }) {
  const store = useStudioStore();
  const s = store.getState();
  const activeId = useStudio((st) => st.editor.activeConceptId);
  const count = useStudio((st) => st.project.concepts.length);
  // one example class word per open model (its tokenizer's), shared with the class-word messages
  const example = useStudio((st) => exampleClassWord(st.engine.tokenizer));
  const idp = `concept-${concept.id}`;
  return (
    <li className={`concept${activeId === concept.id ? ' active' : ''}`} style={{ borderLeftColor: concept.color }} data-testid={idp}>
      <div className="concept-head">
        <label className="inline">
          <input type="radio" name="active-concept" checked={activeId === concept.id} onChange={() => s.setActiveConcept(concept.id)} />
          <span className="swatch" style={{ background: concept.color }} aria-hidden />
          Paint concept {index + 1}
        </label>
        <span className="num" aria-label="mask coverage">{Math.round(coverage * 100)}%</span>
        <button
          type="button"
          className="link"
          // a painted mask is work: ask first
          onClick={() => (coverage === 0 || window.confirm(`Remove ${concept.token} and its painted mask (${Math.round(coverage * 100)}% of the square)?`)) && s.removeConcept(concept.id)}
          disabled={count <= MIN_CONCEPTS}
          aria-label={`Remove concept ${index + 1}`}
        >
          Remove
        </button>
      </div>
      <div className="row">
        <label>
          Token
          <input value={concept.token} onChange={(e) => s.updateConcept(concept.id, { token: e.target.value })} spellCheck={false} />
        </label>
        <label>
          Class word
          <input value={concept.classWord} placeholder={`e.g. ${example}`} onChange={(e) => s.updateConcept(concept.id, { classWord: e.target.value })} spellCheck={false} />
        </label>
      </div>
      <p className="preview" aria-label="prompt preview">
        <code>{concept.token}</code> → <code>{expandPrompt(concept.token, [concept])}</code>
      </p>
      {checks.length > 0 && (
        <ul className="checks" aria-live="polite">
          {checks.map((c) => (
            <li key={c.text} className={c.isPending ? 'todo' : c.level}>{c.isPending ? '○ ' : c.level === 'error' ? '✖ ' : '⚠ '}{c.text}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function ConceptsPanel() {
  const store = useStudioStore();
  const concepts = useStudio((s) => s.project.concepts);
  const checks = useStudio(selectConceptChecks);
  const stats = useStudio(selectMaskStats);
  const isTraining = useStudio((s) => s.training.status.kind === 'running' || s.training.status.kind === 'paused');
  return (
    <section className="panel" aria-labelledby="concepts-title">
      <h2 id="concepts-title">Concepts</h2>
      {isTraining && <p className="hint" data-testid="concepts-locked">Locked while training: the run uses the concepts and masks as they were at its start. Cancel, or wait for the end, to edit them.</p>}
      <fieldset className="plain" disabled={isTraining}>
      <ol className="concepts">
        {concepts.map((c, k) => (
          <ConceptRow key={c.id} concept={c} index={k} checks={checks[c.id] ?? []} coverage={stats.coverage[c.id] ?? 0} />
        ))}
      </ol>
      <button type="button" onClick={() => store.getState().addConcept()} disabled={concepts.length >= MAX_CONCEPTS}>
        Add concept ({concepts.length}/{MAX_CONCEPTS})
      </button>
      </fieldset>
    </section>
  );
}
