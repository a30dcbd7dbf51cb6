# Tab completion as TabExpansion2 (what the console and editors call) offers it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $portal = Start-TestPortal -Demo
    Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl
    function Complete([string] $line) { (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches }
}
AfterAll { Stop-TestPortal $portal }

Describe 'Completion' {
    It 'offers the portal''s stages for -StatusId' {
        $matches = Complete 'Set-B24Lead -Id 1 -StatusId IN_'
        $matches.CompletionText | Should -Be @('IN_PROCESS')
        $matches[0].ToolTip | Should -Be 'In progress'
    }
    It 'offers sources for -SourceId' { (Complete 'Set-B24Lead -Id 1 -SourceId WE').CompletionText | Should -Contain 'WEB' }
    It 'offers currencies for -CurrencyId' { (Complete 'New-B24Lead -Title x -CurrencyId E').CompletionText | Should -Contain 'EUR' }
    It 'offers users by name for -AssignedById' {
        $matches = Complete 'Set-B24Lead -Id 1 -AssignedById Mar'
        $matches.CompletionText | Should -Be @('7')
        $matches[0].ListItemText | Should -Match 'Maria Ivanova'
    }
    It 'offers record ids with their titles, of the command''s kind or the one -EntityType names' {
        $deals = Complete 'Set-B24Deal -Id 12'
        $deals.CompletionText | Should -Contain '121'
        ($deals | Where-Object CompletionText -eq '121').ListItemText | Should -Be '121 Globex support'
        (Complete 'Get-B24Contact -Id Anna').CompletionText | Should -Be @('40')
        (Complete 'Add-B24TimelineComment -EntityType Company -Id 4').CompletionText | Should -Be @('43')
        (Complete 'Get-B24Item -EntityTypeId 1032 -Id ').CompletionText | Should -Contain '5'
        Complete 'Get-B24Item -Id ' | Should -BeNullOrEmpty   # which type is not said yet
        Complete 'Get-B24TimelineComment -Id 1' | Should -BeNullOrEmpty   # nor which kind of record (it offered leads)
    }
    It 'offers users for a to-do''s -ResponsibleId, and e-mail addresses work there too' {
        (Complete 'New-B24Todo -EntityType Deal -Id 120 -Deadline 2027-01-01 -ResponsibleId Pav').CompletionText | Should -Be @('12')
    }
    It 'offers field names for -Select' {
        $names = (Complete 'Get-B24Lead -Select STATUS').CompletionText
        $names | Should -Contain 'STATUS_ID'
        $names | Should -Contain 'STATUS_DESCRIPTION'
    }
    It 'offers directory names for Get-B24Status' { (Complete 'Get-B24Status -EntityId DEAL_').CompletionText | Should -Contain 'DEAL_STAGE' }
    It 'offers parameter names, aliases bound the API way' {
        (Complete 'Set-B24Lead -Stat').CompletionText | Should -Contain '-StatusId'
        (Get-Command Set-B24Lead).Parameters.StatusId.Aliases | Should -Contain 'STATUS_ID'
    }
    It 'offers nothing (and says nothing) when not connected' {
        Disconnect-Bitrix24
        try { @(Complete 'Set-B24Lead -Id 1 -StatusId IN_').Where({ $_.CompletionText -eq 'IN_PROCESS' }).Count | Should -Be 0 }
        finally { Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl }
    }
}
