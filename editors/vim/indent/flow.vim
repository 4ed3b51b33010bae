" Vim indent file for nagare's .flow workflow files.
"
" The canonical layout:
"   - one 'shiftwidth' more after a line that leaves a `{`, `[` or `(` open
"     (one level, however many it leaves open: `MetricData: [{`);
"   - a line that starts with `}`, `]` or `)` lines up with the line that
"     opened it (with the start of that line's stage, see the next point);
"   - a stage header continued over several lines indents its continuation
"     lines (`after`, `when`, `foreach`, `and`, `or`, `not`, ...) by two
"     'shiftwidth's, and the stage's body is indented from the stage's first
"     line:
"         transform crawl after export
"             when $.input.full == true {
"           run glue.crawler "datalake"
"         }
"   - `*` lines inside a block comment line up with the `*` of its `/*`;
"     other lines inside a block comment keep their indent.

if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=GetFlowIndent()
setlocal indentkeys=0{,0},0),0],!^F,o,O,e
setlocal autoindent nolisp nosmartindent nocindent

let b:undo_indent = 'setlocal indentexpr< indentkeys< autoindent< lisp< smartindent< cindent<'

if exists('*GetFlowIndent')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

let s:header_start = '^\s*\%(collect\|transform\|visualize\|task\|handler\)\s\+[A-Za-z_]'
let s:continuation = '^\s*\%(\%(after\|when\|foreach\|concurrency\|and\|or\|not\)\s\|(\|\$\)'

" Is line lnum inside a block comment, past the line that opens it?
function! s:InBlockComment(lnum) abort
  if !s:has_block_comment
    return 0
  endif
  let text = getline(a:lnum)
  if text =~# '^\s*/[*/]'
    return 0
  endif
  if get(b:, 'current_syntax', '') ==# 'flow'
    let col = match(text, '\S') + 1
    return col > 0 && synIDattr(synID(a:lnum, col, 1), 'name') ==# 'flowBlockComment'
  endif
  " Without syntax highlighting, guess from the usual ` * ` style.
  return text =~# '^\s*\*'
endfunction

" The nearest line at or above lnum that holds code or starts a comment.
function! s:PrevCode(lnum) abort
  let l = prevnonblank(a:lnum)
  while l > 0 && s:InBlockComment(l)
    let l = prevnonblank(l - 1)
  endwhile
  return l
endfunction

" A string or a comment, from its start to its end on the line (or the line's end).
let s:noise = '"\%(\\.\|[^"\\]\)*"\=\|//.*\|/\*.\{-}\%(\*/\|$\)'

" Line text with its strings and comments blanked out (columns are kept).
function! s:Code(text) abort
  if a:text !~# '["/]'
    return a:text
  endif
  return substitute(a:text, s:noise, '\=repeat(" ", strlen(submatch(0)))', 'g')
endfunction

" The brackets of line lnum outside strings and comments: [[char, col], ...].
function! s:Brackets(lnum) abort
  let code = s:Code(getline(a:lnum))
  let out = []
  let i = match(code, '[][{}()]')
  while i >= 0
    call add(out, [code[i], i + 1])
    let i = match(code, '[][{}()]', i + 1)
  endwhile
  return out
endfunction

" [closers that no earlier bracket of the line opens, openers left open]
function! s:Balance(brackets) abort
  let closers = []
  let depth = 0
  for [c, col] in a:brackets
    if stridx('{[(', c) >= 0
      let depth += 1
    elseif depth > 0
      let depth -= 1
    else
      call add(closers, [c, col])
    endif
  endfor
  return [closers, depth]
endfunction

" searchpair() skips brackets in strings and comments.
function! s:Skip() abort
  let l = line('.')
  return s:Code(getline(l))[col('.') - 1] ==# ' ' || s:InBlockComment(l)
endfunction

let s:open_of = {'}': '{', ']': '\[', ')': '('}
let s:close_of = {'}': '}', ']': '\]', ')': ')'}

" The line of the bracket that opens the closer at (lnum, col), or 0.
function! s:OpenerLine(lnum, col, closer) abort
  let save = getpos('.')
  call cursor(a:lnum, a:col)
  let found = searchpair(s:open_of[a:closer], '', s:close_of[a:closer], 'bnW', 's:Skip()')
  call setpos('.', save)
  return found > 0 ? found : 0
endfunction

" The first line of the stage header that line lnum belongs to, or 0.
function! s:HeaderStart(lnum) abort
  let l = a:lnum
  while l > 0
    let text = getline(l)
    if text =~# s:header_start
      return l
    endif
    if text !~# s:continuation
      return 0
    endif
    let l = s:PrevCode(l - 1)
    if l > 0 && s:Code(getline(l)) =~# '[{}]'
      return 0
    endif
  endwhile
  return 0
endfunction

" The indent of the statement that line lnum belongs to.
function! s:StatementIndent(lnum) abort
  let start = s:HeaderStart(a:lnum)
  return indent(start > 0 ? start : a:lnum)
endfunction

let s:has_block_comment = 1

function! GetFlowIndent() abort
  " Most files have no block comment: then no line needs the syntax check.
  let s:has_block_comment = search('/\*', 'nw') > 0
  let lnum = v:lnum
  let text = getline(lnum)

  if s:InBlockComment(lnum)
    if text =~# '^\s*\*'
      let open = search('/\*', 'bnW')
      return open > 0 ? indent(open) + 1 : -1
    endif
    return -1
  endif

  " A closer at the start of the line: line up with its opener's statement.
  if text =~# '^\s*[]})]'
    let col = match(text, '\S') + 1
    let open = s:OpenerLine(lnum, col, text[col - 1])
    return open > 0 ? s:StatementIndent(open) : indent(lnum)
  endif

  let prev = s:PrevCode(lnum - 1)
  if prev == 0
    return 0
  endif

  let [closers, open] = s:Balance(s:Brackets(prev))
  let sw = shiftwidth()

  if !empty(closers)
    " The previous line closes something opened further up.
    let [closer, col] = closers[-1]
    let start = s:OpenerLine(prev, col, closer)
    let base = start > 0 ? s:StatementIndent(start) : indent(prev)
    return base + (open > 0 ? sw : 0)
  endif

  let header = s:HeaderStart(prev)
  if header > 0 && s:Code(getline(prev)) !~# '{'
    " A stage header that goes on over the next line.
    return indent(prev) + (prev == header ? 2 * sw : 0)
  endif
  let base = indent(header > 0 ? header : prev)
  return base + (open > 0 ? sw : 0)
endfunction

let &cpo = s:cpo_save
unlet s:cpo_save
