" Vim filetype plugin for nagare's .flow workflow files.
" Language reference: docs/language.md in the nagare repository.

if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

let s:cpo_save = &cpo
set cpo&vim

" Comments: `// line` and `/* block */` (block comments do not nest).
setlocal commentstring=//\ %s
setlocal comments=s1:/*,mb:*,ex:*/,://
" Continue comments on <CR> and o/O, wrap comment text, join comment leaders.
setlocal formatoptions-=t formatoptions+=croqlj

" Stage, handler and flow names may contain `-` (lambda-example), so let
" w, *, <C-]> and completion treat them as one word.
setlocal iskeyword+=-

" The canonical layout indents by two spaces.
setlocal shiftwidth=2 softtabstop=2 expandtab

" gf on a path such as examples/daily_platform finds the .flow file.
setlocal suffixesadd+=.flow

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions<'
      \ . ' iskeyword< shiftwidth< softtabstop< expandtab< suffixesadd<'

let &cpo = s:cpo_save
unlet s:cpo_save
