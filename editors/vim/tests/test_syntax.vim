" Headless test of editors/vim: ftdetect, ftplugin, syntax and indent.
"
" Run it through editors/vim/test.sh, or by hand from any directory:
"   nvim --headless -u NONE -i NONE --cmd 'set rtp^=/abs/editors/vim' \
"     --cmd 'filetype plugin indent on' --cmd 'syntax on' -S editors/vim/tests/test_syntax.vim
"   vim -N -u NONE -i NONE -es --cmd 'set rtp^=/abs/editors/vim' \
"     --cmd 'filetype plugin indent on' --cmd 'syntax on' -S editors/vim/tests/test_syntax.vim
" (rtp and filetype go in --cmd: -c runs too late for ftdetect.)
"
" It writes one line per check to /dev/stdout, then `vim: N passed, N failed`
" (`nvim: ...` under Neovim), and exits 1 (cquit!) if any check failed.

set cpo&vim
set nomore shortmess+=A noswapfile

let s:here = expand('<sfile>:p:h')
let s:root = fnamemodify(s:here, ':h')
let s:repo = fnamemodify(s:root, ':h:h')
let s:samples = s:here . '/samples'
let s:editor = has('nvim') ? 'nvim' : 'vim'
let s:lines = []
let s:passed = 0
let s:failed = 0

function! s:Check(name, ok, detail) abort
  if a:ok
    let s:passed += 1
    call add(s:lines, 'ok - ' . a:name)
  else
    let s:failed += 1
    call add(s:lines, 'FAIL - ' . a:name . ': ' . a:detail)
  endif
endfunction

function! s:Equal(name, got, want) abort
  call s:Check(a:name, a:got ==# a:want, 'got ' . string(a:got) . ', want ' . string(a:want))
endfunction

function! s:Open(path) abort
  execute 'silent edit! ' . fnameescape(a:path)
endfunction

" The syntax group at the position marked by \zs in pattern (very nomagic,
" searched from the top of the buffer).
function! s:GroupAt(pattern) abort
  call cursor(1, 1)
  let [l, c] = searchpos('\V\C' . a:pattern, 'cW')
  if l == 0
    return '<pattern not found>'
  endif
  return synIDattr(synID(l, c, 1), 'name')
endfunction

" [pattern, expected group] pairs for the current buffer.
function! s:ExpectGroups(file, cases) abort
  for [pattern, group] in a:cases
    call s:Equal(printf('syntax %s %s', a:file, pattern), s:GroupAt(pattern), group)
  endfor
endfunction

" The group that a highlight group links to directly ('' when none).
function! s:LinkOf(group) abort
  return matchstr(execute('highlight ' . a:group), 'links to \zs\S\+')
endfunction

" The group and every group it links to, in order.
function! s:LinkChain(group) abort
  let chain = [a:group]
  while len(chain) < 10
    let next = s:LinkOf(chain[-1])
    if next ==# ''
      break
    endif
    call add(chain, next)
  endwhile
  return chain
endfunction

function! s:Run(section, Func) abort
  try
    call call(a:Func, [])
  catch
    call s:Check(a:section . ' ran without errors', 0, v:exception . ' at ' . v:throwpoint)
  endtry
endfunction

" ---------------------------------------------------------------- runtime path
function! s:TestRuntime() abort
  for kind in ['ftdetect', 'ftplugin', 'syntax', 'indent']
    let found = split(globpath(&runtimepath, kind . '/flow.vim'), "\n")
    let first = empty(found) ? '' : fnamemodify(found[0], ':p')
    call s:Equal('runtime ' . kind . '/flow.vim is the one under test', first,
          \ s:root . '/' . kind . '/flow.vim')
  endfor
endfunction

" ---------------------------------------------------------------- ftdetect
function! s:TestFtdetect() abort
  call s:Open(s:samples . '/tokens.flow')
  call s:Equal('ftdetect: tokens.flow is flow', &filetype, 'flow')
  let dir = tempname()
  call mkdir(dir, 'p')
  call s:Open(dir . '/new.flow')
  call s:Equal('ftdetect: a new *.flow buffer is flow', &filetype, 'flow')
  call s:Open(dir . '/types.js.flow')
  call s:Check('ftdetect: *.js.flow (JavaScript Flow) is not flow', &filetype !=# 'flow',
        \ 'filetype is ' . &filetype)
  call s:Open(s:repo . '/examples/daily_platform.flow')
  call s:Equal('ftdetect: examples/daily_platform.flow is flow', &filetype, 'flow')
  call s:Equal('syntax: b:current_syntax', get(b:, 'current_syntax', ''), 'flow')
endfunction

" ---------------------------------------------------------------- ftplugin
function! s:TestFtplugin() abort
  call s:Open(s:samples . '/tokens.flow')
  call s:Equal('ftplugin: commentstring', &l:commentstring, '// %s')
  call s:Check('ftplugin: comments has // and /* */', &l:comments =~# '://'
        \ && &l:comments =~# 's1:/\*' && &l:comments =~# 'ex:\*/', &l:comments)
  call s:Check('ftplugin: iskeyword has -', index(split(&l:iskeyword, ','), '-') >= 0, &l:iskeyword)
  call cursor(1, 1)
  call search('\Vcollect lambda-\zsexample', 'cW')
  call s:Equal('ftplugin: <cword> on a hyphenated stage name', expand('<cword>'), 'lambda-example')
  call s:Equal('ftplugin: shiftwidth', &l:shiftwidth, 2)
  call s:Equal('ftplugin: softtabstop', &l:softtabstop, 2)
  call s:Equal('ftplugin: expandtab', &l:expandtab, 1)
  call s:Check('ftplugin: b:undo_ftplugin is set', get(b:, 'undo_ftplugin', '') =~# 'commentstring<', get(b:, 'undo_ftplugin', ''))
  call s:Equal('indent: indentexpr', &l:indentexpr, 'GetFlowIndent()')
  call s:Check('indent: b:undo_indent is set', get(b:, 'undo_indent', '') =~# 'indentexpr<', get(b:, 'undo_indent', ''))
  " Leaving the filetype undoes the buffer-local settings.
  setlocal filetype=nosuchfiletype
  call s:Equal('ftplugin: undo restores commentstring', &l:commentstring, &g:commentstring)
  call s:Equal('ftplugin: undo restores shiftwidth', &l:shiftwidth, &g:shiftwidth)
  call s:Equal('indent: undo restores indentexpr', &l:indentexpr, &g:indentexpr)
  setlocal filetype=flow
  call s:Equal('ftplugin: set again after filetype=flow', &l:commentstring, '// %s')
endfunction

" ---------------------------------------------------------------- syntax
function! s:TestSyntaxTokens() abort
  call s:Open(s:samples . '/tokens.flow')
  call s:ExpectGroups('tokens.flow', [
        \ ['\zs// Every token', 'flowLineComment'],
        \ ['\zsTODO: keep', 'flowTodo'],
        \ ['\zs/*', 'flowBlockComment'],
        \ ['A \zsblock comment.', 'flowBlockComment'],
        \ ['\zsFIXME', 'flowTodo'],
        \ ['\zsflow tokens', 'flowStructure'],
        \ ['flow \zstokens', 'flowName'],
        \ ['flow tokens \zs{', 'flowDelimiter'],
        \ ['\zscomment "Tab', 'flowClause'],
        \ ['comment \zs"Tab', 'flowString'],
        \ ['"Tab:\zs\\t', 'flowEscape'],
        \ ['quote:\zs\\"', 'flowEscape'],
        \ ['backslash:\zs\\', 'flowEscape'],
        \ ['slash:\zs\\/', 'flowEscape'],
        \ ['e-acute:\zs\\u00e9', 'flowEscape'],
        \ ['e-\zsacute', 'flowString'],
        \ ['\zsschedule rate', 'flowFlowItem'],
        \ ['\zsrate(6', 'flowScheduleFunc'],
        \ ['rate(\zs6', 'flowNumber'],
        \ ['rate(6 \zshours', 'flowRateUnit'],
        \ ['\zstimeout 1d', 'flowClause'],
        \ ['timeout \zs1d', 'flowDuration'],
        \ ['\zsdefaults {', 'flowStructure'],
        \ ['\zsretry Lambda.Service', 'flowClause'],
        \ ['retry \zsLambda.ServiceException', 'flowErrorName'],
        \ ['retry Lambda.\zsServiceException', 'flowErrorName'],
        \ ['ServiceException\zs, Lambda', 'flowErrorComma'],
        \ ['ServiceException, \zsLambda.TooMany', 'flowErrorName'],
        \ ['\zsmax 6', 'flowRetryOption'],
        \ ['max \zs6', 'flowNumber'],
        \ ['\zsinterval 2s backoff', 'flowRetryOption'],
        \ ['interval \zs2s backoff', 'flowDuration'],
        \ ['\zsbackoff 2.0', 'flowRetryOption'],
        \ ['backoff 2\zs.0', 'flowNumber'],
        \ ['\zsjitter full', 'flowRetryOption'],
        \ ['jitter \zsfull', 'flowJitterMode'],
        \ ['\zsmax_delay 2m', 'flowRetryOption'],
        \ ['max_delay \zs2m', 'flowDuration'],
        \ ['jitter \zsnone', 'flowJitterMode'],
        \ ['\zsheartbeat 90s', 'flowClause'],
        \ ['heartbeat \zs90s', 'flowDuration'],
        \ ['timeout \zs1h', 'flowDuration'],
        \ ['catch \zsStates.ALL->alert', 'flowErrorName'],
        \ ['catch States.ALL\zs->alert', 'flowArrow'],
        \ ['catch States.ALL->\zsalert', 'flowStageRef'],
        \ ['\zscollect lambda-example', 'flowStageKind'],
        \ ['collect \zslambda-example', 'flowStageName'],
        \ ['collect lambda\zs-example', 'flowStageName'],
        \ ['collect lambda-\zsexample', 'flowStageName'],
        \ ['\zsrun lambda "flatten', 'flowClause'],
        \ ['run \zslambda "flatten', 'flowIntegration'],
        \ ['run lambda \zs"flatten-dynamodb"', 'flowRunTarget'],
        \ ['\zspayload: {', 'flowKey'],
        \ ['\zsrun: 1', 'flowKey'],
        \ ['run: \zs1', 'flowNumber'],
        \ ['\zsafter: -2.5e3', 'flowKey'],
        \ ['after: \zs-2.5e3', 'flowNumber'],
        \ ['after: -2.5\zse3', 'flowNumber'],
        \ ['\zs"x-y": 0', 'flowString'],
        \ ['"x-y": \zs0', 'flowNumber'],
        \ ['date: \zs$.input.date', 'flowPath'],
        \ ['date: $.input.\zsdate', 'flowPath'],
        \ ['first_key: $.input.objects[0].\zsKey', 'flowPath'],
        \ ['first_key: $.input.objects[\zs0', 'flowPath'],
        \ ['quoted: $.input[''a \zsb''].c', 'flowPath'],
        \ ['quoted: $.input[''a b''].\zsc', 'flowPath'],
        \ ['execution: \zs$$.Execution.Id', 'flowContextPath'],
        \ ['execution: $$.Execution.\zsId', 'flowContextPath'],
        \ ['day: \zsStates.ArrayGetItem', 'flowIntrinsic'],
        \ ['day: States.\zsArrayGetItem', 'flowIntrinsic'],
        \ ['ArrayGetItem(\zsStates.StringSplit', 'flowIntrinsic'],
        \ ['StringSplit(\zs$$.Execution.StartTime', 'flowContextPath'],
        \ ['"T"), \zs0)', 'flowNumber'],
        \ ['flags: [\zstrue', 'flowBoolean'],
        \ ['true, \zsfalse', 'flowBoolean'],
        \ ['false, \zsnull', 'flowNull'],
        \ ['\zsresult { objects', 'flowClause'],
        \ ['result { \zsobjects', 'flowKey'],
        \ ['\zstransform output', 'flowStageKind'],
        \ ['transform \zsoutput', 'flowStageName'],
        \ ['transform output \zsafter', 'flowHeader'],
        \ ['transform output after \zslambda-example', 'flowStageRef'],
        \ ['\zswhen $.input.file', 'flowHeader'],
        \ ['when \zs$.input.file', 'flowPath'],
        \ ['\zslike "*.csv"', 'flowLogic'],
        \ ['like "\zs*.csv"', 'flowString'],
        \ ['"*.csv" \zsand not', 'flowLogic'],
        \ ['and \zsnot ($.input.dry_run', 'flowLogic'],
        \ ['and not \zs($.input.dry_run', 'flowDelimiter'],
        \ ['dry_run \zs== true', 'flowOperator'],
        \ ['dry_run == \zstrue', 'flowBoolean'],
        \ ['\zsforeach $.input.tables', 'flowHeader'],
        \ ['\zsconcurrency 3', 'flowHeader'],
        \ ['concurrency \zs3', 'flowNumber'],
        \ ['run \zsathena {', 'flowIntegration'],
        \ ['\zsquery: States.Format', 'flowKey'],
        \ ['query: \zsStates.Format', 'flowIntrinsic'],
        \ ['raw.{}", \zs$.item', 'flowPath'],
        \ ['\zsvisualize afterward', 'flowStageKind'],
        \ ['visualize \zsafterward', 'flowStageName'],
        \ ['visualize afterward after \zsoutput', 'flowStageRef'],
        \ ['limit \zs<= 10', 'flowOperator'],
        \ ['limit <= \zs10', 'flowNumber'],
        \ ['10 \zsor', 'flowLogic'],
        \ ['mode \zs!= "full"', 'flowOperator'],
        \ ['mode != \zs"full"', 'flowString'],
        \ ['run \zsecs {', 'flowIntegration'],
        \ ['\zstask retry', 'flowStageKind'],
        \ ['task \zsretry', 'flowStageName'],
        \ ['task retry after \zsafterward', 'flowStageRef'],
        \ ['topic \zsis string', 'flowLogic'],
        \ ['topic is \zsstring', 'flowTypeName'],
        \ ['$.steps.output \zsexists', 'flowLogic'],
        \ ['when $.input.topic is string and \zs$.steps.output', 'flowPath'],
        \ ['topic: \zs$.input.topic', 'flowPath'],
        \ ['catch \zsSNS.AuthorizationErrorException', 'flowErrorName'],
        \ ['AuthorizationErrorException, \zsStates.TaskFailed', 'flowErrorName'],
        \ ['TaskFailed \zs-> quiet', 'flowArrow'],
        \ ['TaskFailed -> \zsquiet', 'flowStageRef'],
        \ ['collect \zsc when', 'flowStageName'],
        \ ['input.a \zs< 1', 'flowOperator'],
        \ ['input.b \zs> 2', 'flowOperator'],
        \ ['input.c \zs>= 3', 'flowOperator'],
        \ ['or \zsnot ($.input.d', 'flowLogic'],
        \ ['$.input.d is \zsnull', 'flowTypeName'],
        \ ['\zshandler alert', 'flowStructure'],
        \ ['handler \zsalert', 'flowStageName'],
        \ ['run \zssns {', 'flowIntegration'],
        \ ['message: \zsStates.Format("failed', 'flowIntrinsic'],
        \ ['\zsthen fail', 'flowClause'],
        \ ['then \zsfail', 'flowEnding'],
        \ ['then fail \zs"TokensFailed"', 'flowString'],
        \ ['"TokensFailed" \zs"see the topic"', 'flowString'],
        \ ['handler \zsquiet', 'flowStageName'],
        \ ['then \zssucceed', 'flowEnding'],
        \ ['\zsoutput { done', 'flowFlowItem'],
        \ ['output { \zsdone', 'flowKey'],
        \ ['started: \zs$$.Execution.StartTime', 'flowContextPath'],
        \ ['\zstest "every', 'flowStructure'],
        \ ['test \zs"every expectation"', 'flowString'],
        \ ['\zsinput { date', 'flowTestWord'],
        \ ['tables: [\zs"users"', 'flowString'],
        \ ['\zsmock lambda-example', 'flowTestWord'],
        \ ['mock \zslambda-example', 'flowStageRef'],
        \ ['\zsthrow Lambda', 'flowTestWord'],
        \ ['throw \zsLambda.TooManyRequestsException', 'flowErrorName'],
        \ ['TooManyRequestsException \zs"slow down"', 'flowString'],
        \ ['\zsreturn { Payload', 'flowTestWord'],
        \ ['return { \zsPayload', 'flowKey'],
        \ ['\zsexpect failed', 'flowTestWord'],
        \ ['expect \zsfailed', 'flowExpectWord'],
        \ ['expect failed \zsStates.TaskFailed', 'flowErrorName'],
        \ ['expect \zssucceeded', 'flowExpectWord'],
        \ ['expect \zsran lambda-example', 'flowExpectWord'],
        \ ['expect ran \zslambda-example', 'flowStageRef'],
        \ ['expect \zsnot ran', 'flowExpectWord'],
        \ ['expect not \zsran', 'flowExpectWord'],
        \ ['expect not ran \zsquiet', 'flowStageRef'],
        \ ['expect \zsskipped', 'flowExpectWord'],
        \ ['expect skipped \zsc', 'flowStageRef'],
        \ ['expect \zsattempts', 'flowExpectWord'],
        \ ['expect attempts \zslambda-example', 'flowStageRef'],
        \ ['expect attempts lambda-example \zs== 2', 'flowOperator'],
        \ ['expect attempts lambda-example == \zs2', 'flowNumber'],
        \ ['expect \zs$.steps.lambda-example.objects', 'flowPath'],
        \ ['expect $.steps.lambda-\zsexample.objects', 'flowPath'],
        \ ])
  " At real positions, the highlight goes through the standard group (which a
  " colour scheme may link further, e.g. String -> Constant).
  for [pattern, want] in [['\zs// Every', 'Comment'], ['comment \zs"Tab', 'String'],
        \ ['timeout \zs1d', 'Number'], ['\zsthen fail', 'Statement'], ['\zsTODO', 'Todo']]
    call cursor(1, 1)
    let [l, c] = searchpos('\V\C' . pattern, 'cW')
    let chain = s:LinkChain(synIDattr(synID(l, c, 1), 'name'))
    call s:Check('syntax tokens.flow ' . pattern . ' is highlighted as ' . want,
          \ index(chain, want) >= 0, 'link chain ' . string(chain))
  endfor
endfunction

function! s:TestSyntaxOthers() abort
  call s:Open(s:samples . '/schedule.flow')
  call s:ExpectGroups('schedule.flow', [
        \ ['\zsschedule cron', 'flowFlowItem'],
        \ ['\zscron(', 'flowScheduleFunc'],
        \ ['cron(\zs"0 18', 'flowString'],
        \ ['\zstask a', 'flowStageKind'],
        \ ['task \zsa {', 'flowStageName'],
        \ ['{ \zsrun lambda', 'flowClause'],
        \ ['"fn" \zs} }', 'flowDelimiter'],
        \ ])
  call s:Open(s:samples . '/invalid.flow')
  call s:ExpectGroups('invalid.flow', [
        \ ['== 1 \zs&&', 'flowOperatorError'],
        \ ['== 2 \zs||', 'flowOperatorError'],
        \ ['\zs!$.input.c', 'flowOperatorError'],
        \ ['!\zs$.input.c', 'flowPath'],
        \ ['"C:\zs\\d', 'flowBadEscape'],
        \ ])
  " The examples use no invalid operator or escape anywhere.
  let bad = []
  for file in sort(glob(s:repo . '/examples/*.flow', 0, 1))
    call s:Open(file)
    for l in range(1, line('$'))
      let text = getline(l)
      if text !~# '[\\&|!]'
        continue
      endif
      for c in range(1, strlen(text))
        if synIDattr(synIDtrans(synID(l, c, 1)), 'name') ==# 'Error'
          call add(bad, fnamemodify(file, ':t') . ':' . l . ':' . c)
          break
        endif
      endfor
    endfor
  endfor
  call s:Equal('syntax: no Error highlight in examples/*.flow', bad, [])
endfunction

" Each group links to the intended standard group.
function! s:TestLinks() abort
  call s:Open(s:samples . '/tokens.flow')
  let links = {
        \ 'flowTodo': 'Todo', 'flowLineComment': 'Comment', 'flowBlockComment': 'Comment',
        \ 'flowString': 'String', 'flowRunTarget': 'String', 'flowEscape': 'SpecialChar',
        \ 'flowBadEscape': 'Error', 'flowNumber': 'Number', 'flowDuration': 'Number',
        \ 'flowBoolean': 'Boolean', 'flowNull': 'Constant', 'flowDelimiter': 'Delimiter',
        \ 'flowRefComma': 'Delimiter', 'flowErrorComma': 'Delimiter',
        \ 'flowOperator': 'Operator', 'flowArrow': 'Operator', 'flowOperatorError': 'Error',
        \ 'flowPath': 'Special', 'flowContextPath': 'PreProc', 'flowIntrinsic': 'Function',
        \ 'flowKey': 'Identifier', 'flowName': 'Function', 'flowStageName': 'Function',
        \ 'flowStageRef': 'Identifier', 'flowErrorName': 'Type', 'flowIntegration': 'Include',
        \ 'flowStructure': 'Structure', 'flowStageKind': 'StorageClass',
        \ 'flowFlowItem': 'Statement', 'flowScheduleFunc': 'Function', 'flowRateUnit': 'Type',
        \ 'flowHeader': 'Conditional', 'flowClause': 'Statement', 'flowEnding': 'Exception',
        \ 'flowRetryOption': 'Keyword', 'flowJitterMode': 'Constant', 'flowLogic': 'Operator',
        \ 'flowTypeName': 'Type', 'flowTestWord': 'Keyword', 'flowExpectWord': 'Keyword',
        \ }
  for group in sort(keys(links))
    call s:Equal('link ' . group, s:LinkOf(group), links[group])
  endfor
endfunction

" The keywords are exactly grammar/flow.pest's words, each in its role group.
function! s:TestGrammarKeywords() abort
  let grammar = s:repo . '/grammar/flow.pest'
  call s:Check('grammar: ' . grammar . ' is readable', filereadable(grammar), 'not found')
  if !filereadable(grammar)
    return
  endif
  " rule name -> words, for the rules that are keywords or keyword-like words.
  let rules = {}
  for line in readfile(grammar)
    let m = matchlist(line, '^\(kw_\w\+\|stage_kind\|jitter_mode\|type_name\|true_lit\|false_lit\|null_lit\)\s*=')
    if empty(m)
      continue
    endif
    let words = []
    call substitute(line, '"\(\h\w*\)"', '\=add(words, submatch(1))', 'g')
    if !empty(words)
      let rules[m[1]] = words
    endif
  endfor
  call s:Check('grammar: found the keyword rules', len(rules) >= 40, string(keys(rules)))

  " word -> the flow groups whose keyword lists hold it
  let syntax_words = {}
  let keyword_groups = ['flowStructure', 'flowStageKind', 'flowFlowItem', 'flowScheduleFunc',
        \ 'flowHeader', 'flowClause', 'flowEnding', 'flowRetryOption', 'flowJitterMode',
        \ 'flowLogic', 'flowTypeName', 'flowTestWord', 'flowExpectWord', 'flowBoolean', 'flowNull']
  for group in keyword_groups
    let listing = filter(split(execute('syntax list ' . group), "\n"), 'v:val !~# "^---"')
    for token in split(substitute(join(listing), 'links to \S\+', '', 'g'))
      if token =~# '^\h\w*$' && token !~# '^\%(' . group . '\|xxx\|contained\|skipwhite\|skipnl\|skipempty\|links\|to\|match\|keyword\)$'
        let syntax_words[token] = add(get(syntax_words, token, []), group)
      endif
    endfor
  endfor

  let grammar_words = {}
  for words in values(rules)
    for word in words
      let grammar_words[word] = 1
    endfor
  endfor
  let missing = filter(sort(keys(grammar_words)), '!has_key(syntax_words, v:val)')
  call s:Equal('grammar: every grammar keyword is highlighted', missing, [])
  let extra = filter(sort(keys(syntax_words)), '!has_key(grammar_words, v:val)')
  call s:Equal('grammar: no keyword that the grammar lacks', extra, [])

  " Roles that the grammar states outright.
  let roles = {'stage_kind': 'flowStageKind', 'jitter_mode': 'flowJitterMode',
        \ 'true_lit': 'flowBoolean', 'false_lit': 'flowBoolean'}
  for [rule, group] in items(roles)
    for word in get(rules, rule, ['<rule ' . rule . ' missing>'])
      call s:Check(printf('grammar: %s %s is %s', rule, word, group),
            \ index(get(syntax_words, word, []), group) >= 0, string(get(syntax_words, word, [])))
    endfor
  endfor
  for word in get(rules, 'type_name', [])
    call s:Check('grammar: type_name ' . word . ' is flowTypeName',
          \ index(get(syntax_words, word, []), 'flowTypeName') >= 0, string(get(syntax_words, word, [])))
  endfor
endfunction

" ---------------------------------------------------------------- indent
function! s:Reindent(name, want) abort
  silent keepjumps normal! gg=G
  let got = getline(1, '$')
  let diff = ''
  for i in range(max([len(got), len(a:want)]))
    if get(got, i, '<none>') !=# get(a:want, i, '<none>')
      let diff = printf('line %d: got %s, want %s', i + 1, string(get(got, i, '<none>')), string(get(a:want, i, '<none>')))
      break
    endif
  endfor
  call s:Check(a:name, diff ==# '', diff)
endfunction

function! s:TestIndent() abort
  let files = sort(glob(s:samples . '/*.flow', 0, 1)) + sort(glob(s:repo . '/examples/*.flow', 0, 1))
  call s:Check('indent: found samples and examples', len(files) >= 4, string(files))
  for file in files
    let name = fnamemodify(file, ':h:t') . '/' . fnamemodify(file, ':t')
    call s:Open(file)
    let want = getline(1, '$')
    call s:Reindent('indent: gg=G keeps ' . name, want)
    silent %substitute/^\s\+//e
    call s:Reindent('indent: gg=G restores ' . name . ' with every indent removed', want)
    silent edit!
  endfor

  " Typing: <CR> indents, a leading `}` dedents at once.
  enew!
  setlocal filetype=flow
  execute "normal! iflow typed {\rtask a\rwhen $.input.x exists {\rrun lambda \"fn\" {\rpayload: [{\rk: 1\r}]\r}\r}\r}"
  call s:Equal('indent: typed text', getline(1, '$'), [
        \ 'flow typed {',
        \ '  task a',
        \ '      when $.input.x exists {',
        \ '    run lambda "fn" {',
        \ '      payload: [{',
        \ '        k: 1',
        \ '      }]',
        \ '    }',
        \ '  }',
        \ '}'])
  bwipeout!
endfunction

call s:Run('runtime', function('s:TestRuntime'))
call s:Run('ftdetect', function('s:TestFtdetect'))
call s:Run('ftplugin', function('s:TestFtplugin'))
call s:Run('syntax', function('s:TestSyntaxTokens'))
call s:Run('syntax', function('s:TestSyntaxOthers'))
call s:Run('links', function('s:TestLinks'))
call s:Run('grammar', function('s:TestGrammarKeywords'))
call s:Run('indent', function('s:TestIndent'))

call add(s:lines, printf('%s: %d passed, %d failed', s:editor, s:passed, s:failed))
call writefile(s:lines, '/dev/stdout', 'a')
if s:failed > 0
  cquit!
endif
qall!
