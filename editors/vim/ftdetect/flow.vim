" Vim filetype detection for nagare's .flow workflow files.
" `foo.js.flow` is a Flow (JavaScript) declaration file, not ours: leave it alone.
autocmd BufNewFile,BufRead *.flow
      \ if expand('<afile>') !~# '\.js\.flow$' | setfiletype flow | endif
