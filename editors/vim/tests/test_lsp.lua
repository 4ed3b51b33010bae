-- Neovim as a real client of `nagare lsp`: open a .flow file with one error
-- and wait for the server's diagnostic. Uses the Neovim 0.7 API
-- (vim.lsp.start_client), so it runs on Debian's nvim 0.7.2 and on newer ones.
--
--   NAGARE_BIN=/abs/target/debug/nagare nvim --headless -u NONE -i NONE \
--     --cmd 'set rtp^=/abs/editors/vim' --cmd 'filetype plugin on' \
--     -c 'luafile editors/vim/tests/test_lsp.lua'
--
-- Prints `nvim-lsp: 1 passed, 0 failed` and exits 0, or prints what went
-- wrong and exits 1 (cquit). A server that never answers fails after 5 s.

local TIMEOUT_MS = 5000

local function finish(ok, detail)
  local lines = {}
  if ok then
    table.insert(lines, 'ok - ' .. detail)
  else
    table.insert(lines, 'FAIL - ' .. detail)
  end
  table.insert(lines, string.format('nvim-lsp: %d passed, %d failed', ok and 1 or 0, ok and 0 or 1))
  io.stdout:write(table.concat(lines, '\n') .. '\n')
  io.stdout:flush()
  if ok then
    vim.cmd('qall!')
  else
    vim.cmd('cquit!')
  end
end

local function run()
  local bin = os.getenv('NAGARE_BIN')
  if bin == nil or bin == '' then
    return false, 'NAGARE_BIN is not set'
  end
  if vim.fn.executable(bin) ~= 1 then
    return false, 'NAGARE_BIN is not executable: ' .. bin
  end

  -- One error, on line 4 (0-based line 3): `after` names no stage.
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, 'p')
  local path = dir .. '/broken.flow'
  vim.fn.writefile({
    '// nagare lsp test: one error, on line 4.',
    'flow broken {',
    '  task a { run lambda "fn" }',
    '  task b after nowhere { run lambda "fn" }',
    '}',
  }, path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  if vim.bo[bufnr].filetype ~= 'flow' then
    return false, 'filetype is "' .. vim.bo[bufnr].filetype .. '", want "flow" (is editors/vim on runtimepath?)'
  end

  local exit_code = nil
  local config = {
    name = 'nagare',
    cmd = { bin, 'lsp' },
    root_dir = dir,
    on_exit = function(code, signal)
      exit_code = string.format('exit code %d, signal %d', code, signal)
    end,
  }
  local client_id
  if vim.lsp.start_client ~= nil then
    client_id = vim.lsp.start_client(config)
    if client_id ~= nil then
      vim.lsp.buf_attach_client(bufnr, client_id)
    end
  else
    -- Newer Neovim without start_client: start and attach in one call.
    client_id = vim.lsp.start(config, { bufnr = bufnr })
  end
  if client_id == nil then
    return false, 'the server did not start: ' .. table.concat(config.cmd, ' ')
  end

  -- Stop waiting early if the server exits.
  vim.wait(TIMEOUT_MS, function()
    return #vim.diagnostic.get(bufnr) > 0 or exit_code ~= nil
  end, 50)
  if #vim.diagnostic.get(bufnr) == 0 then
    if exit_code ~= nil then
      return false, 'the server exited (' .. exit_code .. ') before sending a diagnostic'
    end
    return false, string.format('no diagnostic within %d ms', TIMEOUT_MS)
  end

  local diagnostic = vim.diagnostic.get(bufnr)[1]
  local detail = string.format('line %d: %s', diagnostic.lnum + 1, diagnostic.message)
  if diagnostic.lnum ~= 3 then
    return false, 'diagnostic on the wrong line, want line 4: ' .. detail
  end
  if not string.find(diagnostic.message, 'nowhere', 1, true) then
    return false, 'diagnostic does not name `nowhere`: ' .. detail
  end
  if diagnostic.severity ~= vim.diagnostic.severity.ERROR then
    return false, 'diagnostic is not an error: ' .. detail
  end
  vim.lsp.stop_client(client_id)
  return true, 'diagnostic from nagare lsp: ' .. detail
end

local ok, passed, detail = pcall(run)
if not ok then
  finish(false, 'error: ' .. tostring(passed))
else
  finish(passed, detail)
end
