-- Headless Neovim 0.7 as an independent LSP client: start amq-cluster-lsp over stdio, open one
-- file, wait until diagnostics for the whole workspace have arrived, print them as JSON, quit.
local root = vim.env.AMQ_ROOT
local server = vim.env.AMQ_SERVER
local expected = tonumber(vim.env.AMQ_EXPECT_FILES or '1')
local out = vim.env.AMQ_OUT

local client_id = vim.lsp.start_client({
  name = 'amq-cluster',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'examples' } },
})

local function attach(buf)
  vim.lsp.buf_attach_client(buf, client_id)
end
vim.api.nvim_create_autocmd('BufEnter', { callback = function(args) attach(args.buf) end })
attach(vim.api.nvim_get_current_buf())

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

vim.wait(20000, function() return files_with_diagnostics() >= expected end, 50)
vim.wait(300) -- let a last publish land

local result = {}
for _, d in ipairs(vim.diagnostic.get()) do
  table.insert(result, {
    file = vim.api.nvim_buf_get_name(d.bufnr),
    line = d.lnum,
    col = d.col,
    end_line = d.end_lnum,
    end_col = d.end_col,
    severity = d.severity,
    code = d.user_data and d.user_data.lsp and d.user_data.lsp.code or nil,
    message = d.message,
  })
end
local f = io.open(out, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.lsp.stop_client(client_id, true)
vim.cmd('qall!')
