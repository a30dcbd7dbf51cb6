# The rest of an admin's day in the shell: a leaving employee's work handed over by e-mail, comments on piped
# records, to-dos made, moved and completed, users looked up, and an import that skips what the CRM already has.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $portal = Start-TestPortal -Demo
    $script = Join-Path (Get-RepoRoot) 'docs/examples/Move-LeavingEmployeeWork.ps1'
    $prelude = "Import-Module '$(Get-BuiltModulePath)'; Connect-Bitrix24 -WebhookUrl '$($portal.WebhookUrl)' -RateLimit 1000 -Burst 1000 -SkipCheck`n"
    Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -RateLimit 1000 -Burst 1000
}
AfterAll { Stop-TestPortal $portal }

Describe 'A leaving employee' {
    BeforeAll {
        # Maria (user 7, maria@example.com) has the demo's two open deals, two leads in progress, a contact and two
        # to-dos; sixty more deals and thirty more leads make each kind a bulk edit of its own.
        $null = Add-PortalRecord $portal deal -Count 60 -Fields @{ TITLE = 'Maria''s deal'; ASSIGNED_BY_ID = 7 }
        $null = Add-PortalRecord $portal lead -Count 30 -Fields @{ TITLE = 'Maria''s lead'; STATUS_ID = 'IN_PROCESS'; ASSIGNED_BY_ID = 7 }
        $wonDeal = (Add-PortalRecord $portal deal -Fields @{ TITLE = 'Closed long ago'; STAGE_ID = 'WON'; CLOSED = 'Y'; ASSIGNED_BY_ID = 7 })
        $hers = @{
            deals    = @((Get-B24Deal -Filter @{ ASSIGNED_BY_ID = 7; CLOSED = 'N' }).ID)
            leads    = @((Get-B24Lead -Filter @{ ASSIGNED_BY_ID = 7; STATUS_SEMANTIC_ID = 'P' }).ID)
            contacts = @((Get-B24Contact -Filter @{ ASSIGNED_BY_ID = 7 }).ID)
            todos    = @((Get-B24Activity -ResponsibleId 7 -Open).ID)
        }
    }

    It 'with -WhatIf, every change is shown and nothing is sent' {
        Clear-PortalLog $portal
        $shown = Invoke-FreshPwsh ($prelude + "& '$script' -From maria@example.com -To pavel@example.com -WhatIf")

        $whatIf = @($shown | Where-Object { $_ -like 'What if:*' })
        $whatIf.Count | Should -Be ($hers.deals.Count + $hers.leads.Count + $hers.contacts.Count + $hers.todos.Count)
        $hers.deals.Count | Should -Be 62
        $hers.todos.Count | Should -Be 2
        foreach ($id in $hers.deals) { $whatIf | Should -Contain "What if: Performing the operation ""Update ASSIGNED_BY_ID = 7 -> 12"" on target ""Deal $id""." }
        $writes = @(Get-PortalCall $portal | Where-Object { $_.method -match '\.(update|add|delete|updateresponsibleuser)$' })
        $writes | Should -BeNullOrEmpty
    }

    It 'the script hands everything open to the colleague, each kind in batches, and leaves the closed alone' {
        Clear-PortalLog $portal
        $output = Invoke-FreshPwsh ($prelude + "& '$script' -From maria@example.com -To pavel@example.com")
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")

        foreach ($id in $hers.deals) { (Get-PortalRecord $portal deal $id).ASSIGNED_BY_ID | Should -Be '12' }
        foreach ($id in $hers.leads) { (Get-PortalRecord $portal lead $id).ASSIGNED_BY_ID | Should -Be '12' }
        foreach ($id in $hers.contacts) { (Get-PortalRecord $portal contact $id).ASSIGNED_BY_ID | Should -Be '12' }
        (Get-PortalRecord $portal deal $wonDeal).ASSIGNED_BY_ID | Should -Be '7'
        @(Get-B24Activity -ResponsibleId 12 -Todo -Open).ID | Should -Contain $hers.todos[0]
        @(Get-B24Activity -ResponsibleId 7 -Open) | Should -BeNullOrEmpty
        # 62 deal updates in two batch requests, 32 leads in one, the to-dos with their own method in one.
        $calls = @(Get-PortalCall $portal)
        @($calls | Where-Object { $_.method -eq 'batch' -and $_.rawBody -match 'crm\.deal\.update' }).Count | Should -Be 2
        @($calls | Where-Object { $_.method -eq 'crm.deal.update' -and -not $_.viaBatch }) | Should -BeNullOrEmpty
        @($calls | Where-Object { $_.method -eq 'batch' -and $_.rawBody -match 'crm\.lead\.update' }).Count | Should -Be 1
        @($calls | Where-Object { $_.method -eq 'crm.activity.todo.updateresponsibleuser' -and $_.viaBatch }).Count | Should -Be 2
        @($calls | Where-Object { $_.method -eq 'user.get' }).Count | Should -BeLessOrEqual 5   # the leaving user once, the colleague once per command
    }
}

Describe 'Comments and to-dos' {
    It 'piped deals get a comment each, which Get-B24TimelineComment then lists' {
        $deals = Get-B24Deal -Filter @{ STAGE_ID = 'NEW' }
        $deals | Add-B24TimelineComment -Text 'Closed by the Q4 cleanup'
        foreach ($deal in $deals) {
            @(Get-B24TimelineComment -EntityType Deal -Id $deal.ID | Where-Object COMMENT -eq 'Closed by the Q4 cleanup').Count | Should -Be 1
        }
    }

    It 'a to-do is made for a colleague by e-mail, moved, shown in a table that fits, and completed' {
        $todo = New-B24Todo -EntityType Deal -Id 120 -Deadline '2027-03-01T09:00:00+02:00' -Title 'Check the delivery' -ResponsibleId pavel@example.com -PassThru
        $todo.RESPONSIBLE_ID | Should -Be 12
        $todo | Set-B24Activity -Deadline '2027-03-08T09:00:00+02:00'
        $moved = Get-B24Activity -EntityType Deal -Id 120 | Where-Object ID -eq $todo.ID
        $moved.DEADLINE | Should -Be ([datetimeoffset]'2027-03-08T09:00:00+02:00')
        Get-B24Activity | Get-ViewOverflow -Width 79 | Should -BeNullOrEmpty
        Get-B24TimelineComment -EntityType Deal -Id 120 | Get-ViewOverflow -Width 79 | Should -BeNullOrEmpty
        $moved | Complete-B24Activity
        (Get-B24Activity -EntityType Deal -Id 120 | Where-Object ID -eq $todo.ID).COMPLETED | Should -BeTrue
    }

    It 'the user completer offers active users only, and the new cmdlets export and show in Get-Command' {
        $names = (TabExpansion2 -inputScript 'Set-B24Activity -ResponsibleId ' -cursorColumn 31).CompletionMatches.CompletionText
        $names | Should -Contain '7'
        $names | Should -Not -Contain '15'
        (Get-Command -Module Bitrix24 -Noun B24TimelineComment).Count | Should -Be 4
    }
}

Describe 'Users and duplicates' {
    It 'finds users by e-mail and name, and dismissed ones only when asked' {
        (Get-B24User -Email MARIA@example.com).ID | Should -Be 7
        (Get-B24User -Name Ivan).EMAIL | Should -Contain 'maria@example.com'
        @(Get-B24User).ID | Should -Not -Contain 15
        (Get-B24User -IncludeInactive | Where-Object ACTIVE -eq $false).ID | Should -Contain 15
    }

    It 'an import from CSV skips the rows the CRM already has, and run again creates nothing' {
        $csv = Join-Path $TestDrive 'people.csv'
        @(
            [pscustomobject]@{ NAME = 'Anna'; LAST_NAME = 'Again'; EMAIL = 'anna@acme.example'; PHONE = '' }
            [pscustomobject]@{ NAME = 'New'; LAST_NAME = 'Person'; EMAIL = 'new.person@example.com'; PHONE = '+1 555 9001' }
            [pscustomobject]@{ NAME = 'Also'; LAST_NAME = 'New'; EMAIL = 'also.new@example.com'; PHONE = '+1 555 9002' }
        ) | Export-Csv $csv -NoTypeInformation
        (Import-Csv $csv | Find-B24Duplicate | Where-Object Found).Value | Should -Be @('anna@acme.example')

        $first = @(Import-Csv $csv | New-B24Contact -IfDuplicate Skip -IdOnly)
        $second = @(Import-Csv $csv | New-B24Contact -IfDuplicate Skip -IdOnly)

        $first.Count | Should -Be 2
        $second.Count | Should -Be 0
        (Get-B24Contact -Filter @{ LAST_NAME = 'Person' }).EMAIL | Should -Match 'new.person@example.com'
    }
}
