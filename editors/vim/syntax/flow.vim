" Vim syntax file for nagare's .flow workflow files.
" Language reference: docs/language.md; grammar: grammar/flow.pest.
"
" No word in .flow is reserved: a word is a keyword only where the grammar
" expects it. This file follows that in two ways:
"   - names (flow, stage, handler, stage references) and error names are
"     matched through `nextgroup` after the word that introduces them, so
"     `task output { ... }` and `after retry` highlight names, not keywords;
"   - objects are regions entered only where a value is expected (after
"     `run INTEGRATION ["TARGET"]`, `result`, `output`, `input`, `return`, an
"     object key's `:`), and keywords are not allowed inside them, so a key
"     `run:` or `after:` is a key.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syntax case match
" Identifiers may contain `-` (lambda-example): make keyword matching agree.
syntax iskeyword @,48-57,_,192-255,-
syntax sync fromstart

" ------------------------------------------------------------------ patterns
" ident = [A-Za-z_] (alnum | _ | `-` not followed by `>`)*   (flow.pest: ident)
let s:id = '[A-Za-z_]\%([A-Za-z0-9_]\|-\%(>\)\@!\)*'
" error_name / integration = ident ("." ident)*
let s:dotted = s:id . '\%(\.' . s:id . '\)*'
" Not glued to a preceding or following identifier character.
let s:nb = '\%([A-Za-z0-9_.-]\)\@1<!'
let s:na = '\%([A-Za-z0-9_]\|-\%(>\)\@!\)\@!'
" After `expect failed`, the words that start the next test item are not error names.
let s:not_test_word = '\%(\%(expect\|mock\|input\)' . s:na . '\)\@!'
" A path is one token: `$` or `$$`, then `.name`, `..name`, `.*` or `[...]`.
let s:path_name = '\%([A-Za-z0-9_$@]\|-\%(>\)\@!\)\+'
let s:path_bracket = '\[\%(''\%(\\.\|[^''\\]\)*''\|"\%(\\.\|[^"\\]\)*"\|\[[^][]*\]\|[^][]\)*\]'
let s:path_steps = '\%(\.\.\=\%(' . s:path_name . '\|\*\)\|' . s:path_bracket . '\)*'

" ------------------------------------------------------------------ comments
syntax keyword flowTodo contained TODO FIXME XXX NOTE
syntax match flowLineComment +//.*$+ contains=flowTodo,@Spell
syntax region flowBlockComment start=+/\*+ end=+\*/+ contains=flowTodo,@Spell

" ------------------------------------------------------------------ literals
" Strings use JSON's escapes; anything else after a backslash is an error.
" A string cannot hold a raw line break, so an unterminated one ends at the line's end.
syntax match flowBadEscape +\\.+ contained
syntax match flowEscape +\\["\\/bfnrt]+ contained
syntax match flowEscape +\\u\x\{4}+ contained
syntax region flowString start=+"+ skip=+\\.+ end=+"+ end=+$+ contains=flowEscape,flowBadEscape

" JSON numbers (no leading zeros, no leading `+`, no bare `.5`).
execute 'syntax match flowNumber /' . s:nb
      \ . '-\=\%(0\|[1-9]\d*\)\%(\.\d\+\)\=\%([eE][+-]\=\d\+\)\=' . s:na . '/'
" Durations: whole number + s, m, h or d, no space.
execute 'syntax match flowDuration /' . s:nb . '\d\+[smhd]' . s:na . '/'

syntax keyword flowBoolean true false
syntax keyword flowNull null

" ------------------------------------------------------------------ punctuation and operators
" Defined before flowObject/flowArray so that those regions win at a `{` or `[`
" where they are allowed.
syntax match flowDelimiter /[{}()\[\],:]/
syntax match flowOperator /[=!<>]=\|[<>]/ nextgroup=flowObject,flowArray skipwhite skipnl
syntax match flowArrow /->/ nextgroup=flowStageRef skipwhite skipnl
" .flow has no `&&`, `||` or `!`: conditions use `and`, `or` and `not`.
syntax match flowOperatorError /&&\|||\|!\%(=\)\@!/

" ------------------------------------------------------------------ values
execute 'syntax match flowPath /\$' . s:path_steps . '/'
execute 'syntax match flowContextPath /\$\$' . s:path_steps . '/'
" Intrinsic calls: States.Format( ... ).
execute 'syntax match flowIntrinsic /' . s:nb . s:dotted . '\ze\s*(/'
" Object keys (also at the top level, as a fallback for a `{` that was not
" recognised as an object).
execute 'syntax match flowKey /' . s:nb . s:id . '\ze\s*:/'

syntax cluster flowValue contains=flowString,flowNumber,flowBoolean,flowNull,flowPath,flowContextPath,
      \flowIntrinsic,flowObject,flowArray,flowDelimiter,flowLineComment,flowBlockComment,flowOperatorError
syntax region flowObject matchgroup=flowDelimiter start=/{/ end=/}/ contained contains=flowKey,@flowValue
syntax region flowArray matchgroup=flowDelimiter start=/\[/ end=/]/ contained contains=@flowValue

" ------------------------------------------------------------------ names
execute 'syntax match flowName /' . s:id . '/ contained'
execute 'syntax match flowStageName /' . s:id . '/ contained'
execute 'syntax match flowStageRef /' . s:id . '/ contained nextgroup=flowRefComma skipwhite'
syntax match flowRefComma /,/ contained nextgroup=flowStageRef skipwhite skipnl
execute 'syntax match flowErrorName /' . s:not_test_word . s:dotted . '/ contained'
      \ . ' nextgroup=flowErrorComma skipwhite'
syntax match flowErrorComma /,/ contained nextgroup=flowErrorName skipwhite skipnl
execute 'syntax match flowIntegration /' . s:dotted . '/ contained'
      \ . ' nextgroup=flowRunTarget,flowObject skipwhite skipnl'
syntax region flowRunTarget start=+"+ skip=+\\.+ end=+"+ end=+$+ contained
      \ contains=flowEscape,flowBadEscape nextgroup=flowObject skipwhite skipnl

" ------------------------------------------------------------------ keywords, by role
" The set is grammar/flow.pest's: every kw_* rule, stage_kind, jitter_mode,
" type_name and the literals. tests/test_syntax.vim checks it against the grammar.

" Structure: the file's blocks, and the blocks inside a flow.
syntax keyword flowStructure flow nextgroup=flowName skipwhite skipnl
syntax keyword flowStructure handler nextgroup=flowStageName skipwhite skipnl
syntax keyword flowStructure test defaults

" Stage kinds, each followed by the stage's name.
syntax keyword flowStageKind collect transform visualize task nextgroup=flowStageName skipwhite skipnl

" Flow items that are not also clauses.
syntax keyword flowFlowItem schedule nextgroup=flowScheduleFunc skipwhite skipnl
syntax keyword flowFlowItem output nextgroup=flowObject,flowArray skipwhite skipnl
syntax keyword flowScheduleFunc contained cron
syntax keyword flowScheduleFunc contained rate nextgroup=flowRateArgs skipwhite
syntax region flowRateArgs matchgroup=flowDelimiter start=/(/ end=/)/ contained
      \ contains=flowNumber,flowRateUnit
syntax keyword flowRateUnit contained minute minutes hour hours day days

" Stage headers.
syntax keyword flowHeader after nextgroup=flowStageRef skipwhite skipnl
syntax keyword flowHeader when foreach concurrency

" Clauses (`comment` and `timeout` are flow items too).
syntax keyword flowClause run nextgroup=flowIntegration skipwhite skipnl
syntax keyword flowClause retry catch nextgroup=flowErrorName skipwhite skipnl
syntax keyword flowClause result nextgroup=flowObject,flowArray skipwhite skipnl
syntax keyword flowClause then nextgroup=flowEnding skipwhite skipnl
syntax keyword flowClause timeout heartbeat comment
syntax keyword flowEnding contained fail succeed

" Retry options.
syntax keyword flowRetryOption max interval backoff max_delay
syntax keyword flowRetryOption jitter nextgroup=flowJitterMode skipwhite skipnl
syntax keyword flowJitterMode contained full none

" Condition words.
syntax keyword flowLogic and or not like exists
syntax keyword flowLogic is nextgroup=flowTypeName skipwhite skipnl
syntax keyword flowTypeName contained null string number boolean timestamp

" Tests.
syntax keyword flowTestWord input return nextgroup=flowObject,flowArray skipwhite skipnl
syntax keyword flowTestWord mock nextgroup=flowStageRef skipwhite skipnl
syntax keyword flowTestWord throw nextgroup=flowErrorName skipwhite skipnl
syntax keyword flowTestWord expect nextgroup=flowExpectWord skipwhite skipnl
syntax keyword flowExpectWord contained succeeded
syntax keyword flowExpectWord contained failed nextgroup=flowErrorName skipwhite skipnl
syntax keyword flowExpectWord contained ran skipped attempts nextgroup=flowStageRef skipwhite skipnl
syntax keyword flowExpectWord contained not nextgroup=flowExpectWord skipwhite skipnl

" ------------------------------------------------------------------ links
highlight default link flowTodo          Todo
highlight default link flowLineComment   Comment
highlight default link flowBlockComment  Comment
highlight default link flowString        String
highlight default link flowRunTarget     String
highlight default link flowEscape        SpecialChar
highlight default link flowBadEscape     Error
highlight default link flowNumber        Number
highlight default link flowDuration      Number
highlight default link flowBoolean       Boolean
highlight default link flowNull          Constant
highlight default link flowDelimiter     Delimiter
highlight default link flowRefComma      Delimiter
highlight default link flowErrorComma    Delimiter
highlight default link flowOperator      Operator
highlight default link flowArrow         Operator
highlight default link flowOperatorError Error
highlight default link flowPath          Special
highlight default link flowContextPath   PreProc
highlight default link flowIntrinsic     Function
highlight default link flowKey           Identifier
highlight default link flowName          Function
highlight default link flowStageName     Function
highlight default link flowStageRef      Identifier
highlight default link flowErrorName     Type
highlight default link flowIntegration   Include
highlight default link flowStructure     Structure
highlight default link flowStageKind     StorageClass
highlight default link flowFlowItem      Statement
highlight default link flowScheduleFunc  Function
highlight default link flowRateUnit      Type
highlight default link flowHeader        Conditional
highlight default link flowClause        Statement
highlight default link flowEnding        Exception
highlight default link flowRetryOption   Keyword
highlight default link flowJitterMode    Constant
highlight default link flowLogic         Operator
highlight default link flowTypeName      Type
highlight default link flowTestWord      Keyword
highlight default link flowExpectWord    Keyword

let b:current_syntax = 'flow'

let &cpo = s:cpo_save
unlet s:cpo_save
