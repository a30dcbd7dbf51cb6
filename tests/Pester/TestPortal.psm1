# Test helpers for the Pester suite: an emulated portal in its own process over loopback HTTP
# (src/Bitrix24.Emulator.Server), its control API, and a fresh pwsh for what needs a new process.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = Join-Path $script:RepoRoot 'out/Bitrix24'

function Get-RepoRoot { $script:RepoRoot }
function Get-BuiltModulePath { $script:ModulePath }

function Get-PwshCommand {
    # `dotnet pwsh` runs as dotnet + pwsh.dll; an installed pwsh is its own program.
    $program = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($program) -eq 'dotnet') { , @($program, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($program) }
}

function Invoke-FreshPwsh {
    <# Runs a script in a new pwsh process (-NoProfile) and returns its output lines; $LASTEXITCODE is its exit code. #>
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
    $command = Get-PwshCommand
    $saved = @{}
    foreach ($key in $Environment.Keys) { $saved[$key] = [Environment]::GetEnvironmentVariable($key); [Environment]::SetEnvironmentVariable($key, $Environment[$key]) }
    try {
        # Plain text: what a test reads of the output carries no colour codes.
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("`$PSStyle.OutputRendering = 'PlainText'`n" + $Script))
        $rest = @($command | Select-Object -Skip 1)
        & $command[0] @rest -NoProfile -NoLogo -NonInteractive -EncodedCommand $encoded 2>&1 | ForEach-Object { "$_" }
    } finally {
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    }
}

function Start-TestPortal {
    <# Starts an emulated portal at 127.0.0.1 on a free port; it stops with Stop-TestPortal, when this
       process ends (its standard input closes) or after ten minutes. #>
    param([switch] $Demo, [string] $Secret = 's3cr3tWebhookKey')
    $server = Get-ChildItem (Join-Path $script:RepoRoot 'src/Bitrix24.Emulator.Server/bin/*/net10.0/Bitrix24.Emulator.Server.dll') |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $server) { throw 'The emulator server is not built: run the build first.' }
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add($server.FullName)
    $start.ArgumentList.Add('--secret'); $start.ArgumentList.Add($Secret)
    if ($Demo) { $start.ArgumentList.Add('--demo') }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    $line = $process.StandardOutput.ReadLine()
    if (-not $line) { throw 'The emulator server did not start.' }
    $info = $line | ConvertFrom-Json
    [pscustomobject]@{
        PSTypeName = 'Bitrix24.TestPortal'
        WebhookUrl = $info.webhook
        Control    = $info.control
        Secret     = $Secret
        Process    = $process
    }
}

function Stop-TestPortal {
    param([Parameter(Mandatory)] $Portal)
    if ($Portal.Process.HasExited) { return }
    $Portal.Process.StandardInput.Close()
    if (-not $Portal.Process.WaitForExit(5000)) { $Portal.Process.Kill() }
}

function Invoke-PortalControl {
    param([Parameter(Mandatory)] $Portal, [Parameter(Mandatory)] [string] $Command, $Body = @{})
    $answer = Invoke-RestMethod -Method Post -Uri ($Portal.Control + $Command) -ContentType 'application/json' `
        -Body (ConvertTo-Json $Body -Depth 10 -Compress)
    $answer   # an array answer is written item by item
}

function Get-PortalCall {
    <# The calls the portal received since the last Clear-PortalLog (inner batch commands each count). #>
    param([Parameter(Mandatory)] $Portal, [string[]] $Method)
    $calls = @(Invoke-PortalControl $Portal calls)
    if ($Method) { $calls = @($calls | Where-Object method -in $Method) }
    $calls
}

function Get-ViewOverflow {
    <# The lines of a default view that need more than -Width columns. The view is rendered 400 wide, where no
       column is dropped and no line wrapped or cut (Out-String -Width 80 would cut them itself), and each line is
       measured without its trailing blanks. #>
    param([Parameter(Mandatory, ValueFromPipeline)] $InputObject, [int] $Width = 80, [switch] $List)
    begin { $items = [System.Collections.Generic.List[object]]::new() }
    process { $items.Add($InputObject) }
    end {
        $text = if ($List) { $items | Format-List | Out-String -Width 400 -Stream } else { $items | Format-Table | Out-String -Width 400 -Stream }
        $text | ForEach-Object { $_.TrimEnd() } | Where-Object { $_.Length -gt $Width }
    }
}

function Get-PortalStat { param([Parameter(Mandatory)] $Portal) Invoke-PortalControl $Portal stats }
function Clear-PortalLog { param([Parameter(Mandatory)] $Portal) $null = Invoke-PortalControl $Portal clear }
function Get-PortalLead { param([Parameter(Mandatory)] $Portal, [int] $Id) Invoke-PortalControl $Portal lead @{ id = $Id } }
function Add-PortalLead {
    param([Parameter(Mandatory)] $Portal, [int] $Count = 1, [hashtable] $Fields = @{})
    Invoke-PortalControl $Portal add-leads @{ count = $Count; fields = $Fields }
}
function Get-PortalRecord { param([Parameter(Mandatory)] $Portal, [string] $Entity, [int] $Id) Invoke-PortalControl $Portal record @{ entity = $Entity; id = $Id } }
function Add-PortalRecord {
    param([Parameter(Mandatory)] $Portal, [Parameter(Mandatory)] [string] $Entity, [int] $Count = 1, [hashtable] $Fields = @{})
    Invoke-PortalControl $Portal add-records @{ entity = $Entity; count = $Count; fields = $Fields }
}
function Set-PortalLimit {
    param([Parameter(Mandatory)] $Portal, $Rate, [int] $Burst = 50, [int] $LatencyMs = -1)
    $body = @{ rate = $Rate; burst = $Burst }
    if ($LatencyMs -ge 0) { $body.latencyMs = $LatencyMs }
    $null = Invoke-PortalControl $Portal configure $body
}

Export-ModuleMember -Function *-*
