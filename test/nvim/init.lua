-- Headless Neovim 0.7 as an independent LSP client, set up with the README's init.lua snippet
-- (AMQ_SETUP: the snippet with the real path): open a file, switch buffers as a user does, fix a
-- problem, and write what Neovim then shows as JSON (AMQ_OUT): the running clients, every
-- diagnostic, and the myid file the quick fix creates.
local root = vim.env.AMQ_ROOT
local expected = tonumber(vim.env.AMQ_EXPECT_FILES or '1')
local out = vim.env.AMQ_OUT
vim.o.hidden = true
vim.cmd('cd ' .. vim.fn.fnameescape(root))
dofile(vim.env.AMQ_SETUP)

local function edit(rel)
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. rel))
end

local function files_with_diagnostics()
  local seen = {}
  local n = 0
  for _, d in ipairs(vim.diagnostic.get()) do
    if not seen[d.bufnr] then
      seen[d.bufnr] = true
      n = n + 1
    end
  end
  return n
end

local function code_of(d)
  return d.user_data and d.user_data.lsp and d.user_data.lsp.code or nil
end

local function find(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if code_of(d) == code then return d end
  end
  return nil
end

local result = { log = {} }
local function log(msg) table.insert(result.log, msg) end

edit('myzookeeper/zk01/conf/zoo.cfg')
log('first buffer: ' .. tostring(vim.wait(20000, function() return files_with_diagnostics() >= expected end, 50)))

-- buffer switches: every BufEnter runs the README's callback
edit('myzookeeper/zk02/conf/zoo.cfg')
edit('mq_cluster/mq_node01/conf/activemq.xml')
edit('myzookeeper/zk01/conf/zoo.cfg')
vim.cmd('bnext')
vim.cmd('bnext')
vim.cmd('bprevious')
edit('mq_cluster/mq_node01/conf/jetty.xml')
edit('myzookeeper/zk03/conf/zoo.cfg')
result.clients = #vim.lsp.get_active_clients()

-- fix zk03's clientPort collision in the buffer: the finding must go on both nodes
local zk3 = vim.api.nvim_get_current_buf()
for i, line in ipairs(vim.api.nvim_buf_get_lines(zk3, 0, -1, false)) do
  if line == 'clientPort=2192' then vim.api.nvim_buf_set_lines(zk3, i - 1, i, false, { 'clientPort=2193' }) end
end
local zk2 = vim.fn.bufnr(root .. '/myzookeeper/zk02/conf/zoo.cfg')
log('port fixed: ' .. tostring(vim.wait(10000, function() return find(zk3, 'port-conflict') == nil and find(zk2, 'port-conflict') == nil end, 50)))
vim.wait(500) -- let a last publish land

result.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get()) do
  table.insert(result.diagnostics, {
    file = vim.api.nvim_buf_get_name(d.bufnr),
    line = d.lnum,
    col = d.col,
    code = code_of(d),
    message = d.message,
  })
end

-- the myid quick fix, requested as `vim.lsp.buf.code_action()` requests it on the diagnostic's
-- line and applied as it applies an edit, then saved
local missing = find(zk3, 'zk-myid-missing')
if missing then
  vim.api.nvim_win_set_cursor(0, { missing.lnum + 1, missing.col })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(zk3) }
  local responses, err = vim.lsp.buf_request_sync(zk3, 'textDocument/codeAction', params, 5000)
  for _, res in pairs(responses or {}) do
    for _, action in ipairs(res.result or {}) do
      if action.title:match('^Create') and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
        local myid = vim.fn.bufnr(root .. '/myzookeeper/zk03/data/myid')
        result.myid_lines = vim.api.nvim_buf_get_lines(myid, 0, -1, false)
        vim.api.nvim_buf_call(myid, function() vim.cmd('silent write') end)
      end
    end
  end
  if not result.myid_lines then log('no Create action: ' .. vim.inspect(responses or err)) end
else
  log('no zk-myid-missing on zk03')
end

local f = io.open(out, 'w')
f:write(vim.fn.json_encode(result))
f:close()
for _, c in ipairs(vim.lsp.get_active_clients()) do c.stop(true) end
vim.cmd('qall!')
