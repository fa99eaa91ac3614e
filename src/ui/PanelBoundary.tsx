// An error boundary around one panel: a panel that throws while rendering shows what broke and a "Try again"
// button in its place; the other panels keep working and the project (held in the store, autosaved) is untouched.
// React error boundaries must be class components (react.dev, "Catching rendering errors with an error boundary").
import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import { describeErrorSentence } from '../lib/errors';

type Props = { name: string; children: ReactNode };
type State = { error: unknown };

export class PanelBoundary extends Component<Props, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error ?? new Error('unknown error') };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`panel "${this.props.name}" failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error === undefined) return this.props.children;
    return (
      <section className="panel panel-error" role="alert" aria-label={`${this.props.name} (failed)`}>
        <h2>{this.props.name}</h2>
        <p>This panel stopped: {describeErrorSentence(this.state.error)} Your project is kept (masks, concepts and settings are saved as before); the other panels still work.</p>
        <button type="button" onClick={() => this.setState({ error: undefined })}>Try again</button>
      </section>
    );
  }
}
