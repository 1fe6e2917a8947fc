/**
 * The standard component library: every built-in component under the name graphs use for it
 * (`core/Output`, `text/Words`, ...). Each component carries its own `description`; each file
 * starts with a comment giving its ports and why it is written as a looper or a non-looper.
 */
import type { Component } from '../src/component/define.ts';
import Output from './core/Output.ts';
import Repeat from './core/Repeat.ts';
import Drop from './core/Drop.ts';
import Generate from './core/Generate.ts';
import ReadLines from './core/ReadLines.ts';
import WriteLines from './core/WriteLines.ts';
import Split from './core/Split.ts';
import Concat from './core/Concat.ts';
import LoadBalance from './core/LoadBalance.ts';
import Take from './core/Take.ts';
import Count from './core/Count.ts';
import Sort from './core/Sort.ts';
import Tally from './core/Tally.ts';
import Batch from './core/Batch.ts';
import Unbracket from './core/Unbracket.ts';
import Delay from './core/Delay.ts';
import Words from './text/Words.ts';
import Upper from './text/Upper.ts';

export const builtins: Record<string, Component> = {
  'core/Output': Output,
  'core/Repeat': Repeat,
  'core/Drop': Drop,
  'core/Generate': Generate,
  'core/ReadLines': ReadLines,
  'core/WriteLines': WriteLines,
  'core/Split': Split,
  'core/Concat': Concat,
  'core/LoadBalance': LoadBalance,
  'core/Take': Take,
  'core/Count': Count,
  'core/Sort': Sort,
  'core/Tally': Tally,
  'core/Batch': Batch,
  'core/Unbracket': Unbracket,
  'core/Delay': Delay,
  'text/Words': Words,
  'text/Upper': Upper,
};
