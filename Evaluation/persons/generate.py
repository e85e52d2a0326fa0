#!/usr/bin/env python3
"""Builds the labelled person-pair evaluation set, Evaluation/persons/pairs.csv.

Every native-script name and every Latin spelling below was written by hand: the common
spellings that passports, visas, notices and press agencies actually use for that name, in the
schemes of that country or of the languages it is usually written through (BGN/PCGN, ICAO 9303,
German and French renderings of Cyrillic, ELOT and older Greek spellings, pinyin and Wade-Giles,
Revised and McCune-Reischauer Korean, Hepburn and Kunrei-shiki Japanese, RTGS and older Thai
spellings, ...). Nothing here is produced by Concord's own transliteration rules, which would
make the evaluation circular. Typos, initials, dates of birth and the choice of pairs are drawn
with a fixed seed, so a run reproduces the committed file byte for byte:

    python3 Evaluation/persons/generate.py            # writes pairs.csv beside this script
    python3 Evaluation/persons/generate.py --check    # fails if the committed file differs

The people are fictional: common first names and family names combined at random, not
anyone's record.
"""

import csv
import io
import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20261123

# An identity: nationality (ISO 3166-1 alpha-3 of a member country; empty if none is), sex, the name in its own script (None for
# Latin-script names), then its Latin spellings as "given names|family name". The native form is
# written in the order its script writes it (family name first in Chinese, Korean, Japanese).
# A tuple as native form holds several native writings (simplified and traditional Chinese).
IDENTITIES = [
    # Cyrillic: Russian, Ukrainian, Bulgarian, Serbian, Kazakh
    ("RUS", "M", "Александр Сергеевич Иванов",
     ["Aleksandr Sergeevich|Ivanov", "Alexander Sergeyevich|Ivanov", "Aleksandr Sergeyevich|Ivanov",
      "Alexandre Sergueievitch|Ivanov"]),
    ("RUS", "M", "Дмитрий Николаевич Смирнов",
     ["Dmitriy Nikolaevich|Smirnov", "Dmitry Nikolayevich|Smirnov", "Dmitrii Nikolaevich|Smirnov"]),
    ("RUS", "F", "Наталья Владимировна Кузнецова",
     ["Natalya Vladimirovna|Kuznetsova", "Natalia Vladimirovna|Kuznetsova", "Natalja Wladimirowna|Kusnezowa"]),
    ("RUS", "M", "Сергей Викторович Попов",
     ["Sergey Viktorovich|Popov", "Sergei Viktorovich|Popov", "Serguei Viktorovitch|Popov"]),
    ("RUS", "F", "Юлия Андреевна Соколова",
     ["Yuliya Andreyevna|Sokolova", "Yulia Andreevna|Sokolova", "Iuliia Andreevna|Sokolova",
      "Julija Andrejewna|Sokolowa"]),
    ("RUS", "M", "Алексей Петрович Лебедев",
     ["Aleksey Petrovich|Lebedev", "Alexei Petrovich|Lebedev", "Aleksei Petrovich|Lebedev"]),
    ("RUS", "M", "Евгений Юрьевич Козлов",
     ["Yevgeniy Yuryevich|Kozlov", "Evgeny Yurievich|Kozlov", "Evgenii Iurevich|Kozlov"]),
    ("RUS", "F", "Ксения Игоревна Новикова",
     ["Kseniya Igorevna|Novikova", "Ksenia Igorevna|Novikova", "Xenia Igorevna|Novikova"]),
    ("RUS", "M", "Михаил Александрович Морозов",
     ["Mikhail Aleksandrovich|Morozov", "Mikhail Alexandrovich|Morozov", "Michail Aleksandrowitsch|Morosow"]),
    ("RUS", "M", "Андрей Васильевич Волков",
     ["Andrey Vasilyevich|Volkov", "Andrei Vasilievich|Volkov", "Andrej Wassiljewitsch|Wolkow"]),
    ("RUS", "F", "Екатерина Олеговна Фёдорова",
     ["Yekaterina Olegovna|Fyodorova", "Ekaterina Olegovna|Fedorova", "Ekaterina Olegovna|Fiodorova"]),
    ("RUS", "M", "Вячеслав Игоревич Жуков",
     ["Vyacheslav Igorevich|Zhukov", "Viacheslav Igorevich|Zhukov", "Wjatscheslaw Igorewitsch|Schukow"]),
    ("RUS", "M", "Артём Ильич Щербаков",
     ["Artyom Ilyich|Shcherbakov", "Artem Ilich|Shcherbakov", "Artiom Ilitch|Chtcherbakov"]),
    ("RUS", "F", "Татьяна Михайловна Григорьева",
     ["Tatyana Mikhaylovna|Grigoryeva", "Tatiana Mikhailovna|Grigorieva", "Tatjana Michailowna|Grigorjewa"]),
    ("RUS", "M", "Игорь Ринатович Хабибуллин",
     ["Igor Rinatovich|Khabibullin", "Igor Rinatovich|Habibullin", "Igor Rinatowitsch|Chabibullin"]),
    ("RUS", "M", "Иван Иванович Сидоров",
     ["Ivan Ivanovich|Sidorov", "Ivan Ivanovitch|Sidorov", "Iwan Iwanowitsch|Sidorow"]),
    ("RUS", "F", "Ольга Николаевна Васильева",
     ["Olga Nikolaevna|Vasilyeva", "Olga Nikolayevna|Vasilieva", "Olga Nikolaevna|Vasileva"]),
    ("RUS", "M", "Юрий Дмитриевич Яковлев",
     ["Yuriy Dmitriyevich|Yakovlev", "Yuri Dmitrievich|Yakovlev", "Iurii Dmitrievich|Iakovlev",
      "Juri Dmitrijewitsch|Jakowlew"]),
    ("UKR", "M", "Олександр Миколайович Шевченко",
     ["Oleksandr Mykolaiovych|Shevchenko", "Olexandr Mykolayovych|Shevchenko", "Oleksandr Mykolajovych|Ševčenko"]),
    ("UKR", "F", "Оксана Іванівна Ковальчук",
     ["Oksana Ivanivna|Kovalchuk", "Oksana Ivanivna|Koval'chuk", "Oksana Iwaniwna|Kowaltschuk"]),
    ("UKR", "M", "Юрій Петрович Бондаренко",
     ["Yuriy Petrovych|Bondarenko", "Yurii Petrovych|Bondarenko", "Iurii Petrovych|Bondarenko"]),
    ("UKR", "M", "Володимир Олегович Ткаченко",
     ["Volodymyr Olehovych|Tkachenko", "Volodymyr Olegovych|Tkachenko", "Wolodymyr Olehowytsch|Tkatschenko"]),
    ("UKR", "F", "Олена Сергіївна Коваленко",
     ["Olena Serhiivna|Kovalenko", "Olena Sergiyivna|Kovalenko", "Olena Serhijivna|Kowalenko"]),
    ("UKR", "M", "Андрій Вікторович Мельник",
     ["Andriy Viktorovych|Melnyk", "Andrii Viktorovych|Melnyk", "Andrij Wiktorowytsch|Melnyk"]),
    ("BGR", "M", "Георги Димитров Петров", ["Georgi Dimitrov|Petrov", "Georgy Dimitrov|Petrov"]),
    ("BGR", "F", "Мария Стоянова Иванова", ["Mariya Stoyanova|Ivanova", "Maria Stoyanova|Ivanova"]),
    ("BGR", "M", "Христо Николов Стоичков",
     ["Hristo Nikolov|Stoichkov", "Khristo Nikolov|Stoychkov", "Christo Nikolov|Stoitschkow"]),
    ("SRB", "M", "Милош Јовановић", ["Miloš|Jovanović", "Milos|Jovanovic", "Milosh|Yovanovich"]),
    ("SRB", "M", "Ненад Петровић", ["Nenad|Petrović", "Nenad|Petrovic", "Nenad|Petrovich"]),
    ("SRB", "F", "Јелена Николић", ["Jelena|Nikolić", "Jelena|Nikolic", "Yelena|Nikolich"]),
    ("KAZ", "M", "Нурлан Серикович Ахметов",
     ["Nurlan Serikovich|Akhmetov", "Nurlan Serikovich|Ahmetov", "Nurlan Serikowitsch|Achmetow"]),
    # Arabic script: Arabic, Persian, Urdu, Pashto
    ("EGY", "M", "محمد أحمد حسن",
     ["Mohammed Ahmed|Hassan", "Muhammad Ahmad|Hasan", "Mohamed Ahmed|Hassan", "Mohamad Ahmad|Hassan"]),
    ("SAU", "M", "عبد الله بن سعيد القحطاني",
     ["Abdullah bin Saeed|Al-Qahtani", "Abdallah bin Said|Al Qahtani", "Abdulla Bin Saeed|Alqahtani"]),
    ("IRQ", "M", "عمر خالد العبيدي", ["Omar Khalid|Al-Obaidi", "Umar Khaled|Al-Ubaidi", "Omar Khaled|Alobaidi"]),
    ("SYR", "F", "فاطمة علي الأحمد", ["Fatima Ali|Al-Ahmad", "Fatma Ali|Al Ahmed", "Fatimah Aly|Alahmad"]),
    ("JOR", "M", "يوسف إبراهيم الخطيب",
     ["Yousef Ibrahim|Al-Khatib", "Yusuf Ebrahim|Al-Khateeb", "Youssef Ibrahim|El Khatib"]),
    ("MAR", "M", "يوسف بن علي", ["Youssef|Benali", "Youssef|Ben Ali", "Yusuf|Bin Ali"]),
    ("DZA", "M", "عبد القادر بوزيد", ["Abdelkader|Bouzid", "Abd al-Qadir|Bu Zayd", "Abdulkadir|Bouzid"]),
    ("EGY", "F", "مريم محمود عبد الرحمن",
     ["Mariam Mahmoud|Abdel Rahman", "Maryam Mahmud|Abdulrahman", "Meriem Mahmoud|Abderrahmane"]),
    ("IRQ", "M", "حسين علي الجبوري", ["Hussein Ali|Al-Jubouri", "Husayn Ali|Al-Juburi", "Hussain Aly|Aljboori"]),
    ("LBY", "M", "مصطفى عبد السلام", ["Mustafa|Abdel Salam", "Moustafa|Abdulsalam", "Mostafa|Abd al-Salam"]),
    ("YEM", "M", "عبد الرحمن صالح", ["Abdulrahman|Saleh", "Abd al-Rahman|Salih", "Abdurrahman|Saleh"]),
    ("SDN", "M", "خالد عثمان", ["Khalid|Osman", "Khaled|Othman", "Khalid|Uthman"]),
    ("SAU", "M", "فيصل ناصر العتيبي", ["Faisal Nasser|Al-Otaibi", "Faysal Nasir|Al-Utaybi", "Faisal Naser|Alotaibi"]),
    ("SYR", "M", "أحمد الشامي", ["Ahmad|Al-Shami", "Ahmed|Alshami", "Ahmed|El Chami"]),
    ("IRQ", "F", "زينب حسن", ["Zainab|Hassan", "Zaynab|Hasan", "Zeinab|Hassan"]),
    ("EGY", "M", "طارق عبد العزيز", ["Tarek|Abdel Aziz", "Tariq|Abdulaziz", "Tarik|Abd al-Aziz"]),
    ("JOR", "M", "أسامة الزعبي", ["Osama|Al-Zoubi", "Usama|Al-Zubi", "Oussama|Zoubi"]),
    ("TUN", "M", "منصف الطرابلسي", ["Moncef|Trabelsi", "Munsif|Al-Tarabulsi", "Moncef|Tarabulsi"]),
    ("SAU", "F", "نورة عبد الله", ["Noura|Abdullah", "Nora|Abdallah", "Nourah|Abdulla"]),
    ("IRQ", "M", "علي حسين الموسوي", ["Ali Hussein|Al-Musawi", "Ali Husayn|Al-Mousawi", "Ali Hussain|Almusawi"]),
    ("EGY", "M", "كريم مصطفى سليمان", ["Karim Mostafa|Soliman", "Kareem Mustafa|Sulaiman", "Karim Moustafa|Suleiman"]),
    ("LBN", "F", "ليلى خوري", ["Layla|Khoury", "Leila|Khouri", "Laila|Khuri"]),
    ("MAR", "F", "خديجة العلوي", ["Khadija|El Alaoui", "Khadidja|Alaoui", "Khadijah|Al-Alawi"]),
    ("IRN", "M", "علی رضایی", ["Ali|Rezaei", "Ali|Rezaee", "Ali|Rezai"]),
    ("IRN", "M", "محمدرضا حسینی", ["Mohammadreza|Hosseini", "Mohammad Reza|Hosseini", "Mohamad Reza|Husseini"]),
    ("IRN", "F", "زهرا احمدی", ["Zahra|Ahmadi", "Zahra|Ahmady", "Zahraa|Ahmadi"]),
    ("IRN", "M", "حسن کریمی", ["Hassan|Karimi", "Hasan|Karimi", "Hassan|Kareemi"]),
    ("AFG", "M", "احمد شاه احمدزی", ["Ahmad Shah|Ahmadzai", "Ahmed Shah|Ahmadzay", "Ahmad Shah|Ahmadzey"]),
    ("PAK", "M", "محمد عمران قریشی", ["Muhammad Imran|Qureshi", "Mohammad Imran|Qureshi", "Muhammad Imran|Quraishi"]),
    ("PAK", "F", "عائشہ صدیقی", ["Ayesha|Siddiqui", "Aisha|Siddiqi", "Aysha|Siddiqui"]),
    # Greek
    ("GRC", "M", "Γιώργος Παπαδόπουλος", ["Giorgos|Papadopoulos", "Yiorgos|Papadopoulos", "Yorgos|Papadopoulos"]),
    ("GRC", "M", "Δημήτριος Κωνσταντίνου", ["Dimitrios|Konstantinou", "Dimitrios|Constantinou", "Demetrios|Konstantinou"]),
    ("GRC", "F", "Αικατερίνη Γεωργίου", ["Aikaterini|Georgiou", "Ekaterini|Georgiou", "Aikaterini|Yeorgiou"]),
    ("GRC", "M", "Νικόλαος Οικονόμου", ["Nikolaos|Oikonomou", "Nikolaos|Ikonomou", "Nicolaos|Economou"]),
    ("GRC", "M", "Ευάγγελος Χατζηδάκης", ["Evangelos|Chatzidakis", "Evangelos|Hatzidakis", "Evaggelos|Chatzidakis"]),
    ("GRC", "F", "Ελένη Βασιλείου", ["Eleni|Vasileiou", "Eleni|Vassiliou", "Eleni|Vasiliou"]),
    ("GRC", "M", "Χρήστος Αντωνίου", ["Christos|Antoniou", "Hristos|Antoniou", "Khristos|Antoniou"]),
    ("GRC", "M", "Παναγιώτης Θεοδωρόπουλος",
     ["Panagiotis|Theodoropoulos", "Panayiotis|Theodoropoulos", "Panagiotis|Teodoropoulos"]),
    ("GRC", "M", "Σπυρίδων Μαυρίδης", ["Spyridon|Mavridis", "Spiridon|Mavridis", "Spyridon|Mavrides"]),
    ("CYP", "M", "Ιωάννης Αλεξίου", ["Ioannis|Alexiou", "Ioannis|Aleksiou", "Joannis|Alexiou"]),
    ("GRC", "F", "Σοφία Παπαδάκη", ["Sofia|Papadaki", "Sophia|Papadaki", "Sofia|Papadakis"]),
    # Chinese (family name first); simplified and traditional writings where they differ
    ("CHN", "M", ("张伟", "張偉"), ["Wei|Zhang", "Wei|Chang", "Wěi|Zhāng"]),
    ("CHN", "F", "王芳", ["Fang|Wang", "Fāng|Wáng"]),
    ("CHN", "F", "李娜", ["Na|Li", "Nà|Lǐ"]),
    ("CHN", "M", ("刘洋", "劉洋"), ["Yang|Liu", "Yáng|Liú"]),
    ("CHN", "F", ("陈静", "陳靜"), ["Jing|Chen", "Ching|Chen", "Jìng|Chén"]),
    ("CHN", "M", ("杨军", "楊軍"), ["Jun|Yang", "Chun|Yang"]),
    ("CHN", "M", ("黄晓明", "黃曉明"), ["Xiaoming|Huang", "Xiao Ming|Huang", "Hsiao-ming|Huang", "Xiao-Ming|Huang"]),
    ("CHN", "M", "周杰", ["Jie|Zhou", "Chieh|Chou"]),
    ("CHN", "M", ("吴建国", "吳建國"), ["Jianguo|Wu", "Jian Guo|Wu", "Chien-kuo|Wu"]),
    ("CHN", "M", ("徐志强", "徐志強"), ["Zhiqiang|Xu", "Zhi Qiang|Xu", "Chih-chiang|Hsu"]),
    ("CHN", "F", ("孙丽华", "孫麗華"), ["Lihua|Sun", "Li Hua|Sun", "Li-hua|Sun"]),
    ("CHN", "M", ("马云飞", "馬雲飛"), ["Yunfei|Ma", "Yun Fei|Ma", "Yun-fei|Ma"]),
    ("CHN", "M", "郭小平", ["Xiaoping|Guo", "Xiao Ping|Guo", "Hsiao-ping|Kuo"]),
    ("CHN", "M", ("林志伟", "林志偉"), ["Zhiwei|Lin", "Zhi Wei|Lin", "Chih-wei|Lin"]),
    ("CHN", "M", "何家明", ["Jiaming|He", "Jia Ming|He", "Chia-ming|Ho"]),
    ("CHN", "F", "赵敏", ["Min|Zhao", "Min|Chao"]),
    ("CHN", "F", ("邓丽君", "鄧麗君"), ["Lijun|Deng", "Li Jun|Deng", "Li-chun|Teng"]),
    ("SGP", "M", "陈伟明", ["Weiming|Chen", "Wei Ming|Chen", "Wei-ming|Chen"]),
    # Hebrew
    ("ISR", "M", "משה כהן", ["Moshe|Cohen", "Moshe|Kohen", "Moshe|Cohn"]),
    ("ISR", "M", "דוד לוי", ["David|Levi", "David|Levy"]),
    ("ISR", "M", "יוסף מזרחי", ["Yosef|Mizrahi", "Yossef|Mizrachi", "Josef|Mizrahi"]),
    ("ISR", "F", "שרה אברהם", ["Sarah|Avraham", "Sara|Abraham", "Sara|Avraham"]),
    ("ISR", "M", "יצחק פרץ", ["Yitzhak|Peretz", "Itzhak|Perez", "Yitzchak|Peretz"]),
    ("ISR", "M", "אברהם ביטון", ["Avraham|Biton", "Abraham|Bitton", "Avraham|Bitton"]),
    ("ISR", "F", "רחל פרידמן", ["Rachel|Friedman", "Rahel|Fridman", "Rachel|Fridman"]),
    ("ISR", "M", "שמואל אזולאי", ["Shmuel|Azoulay", "Shmuel|Azulai", "Shmuel|Azulay"]),
    ("ISR", "M", "מיכאל שפירא", ["Michael|Shapira", "Mikhael|Shapiro", "Michael|Schapira"]),
    ("ISR", "F", "נועה גולדברג", ["Noa|Goldberg", "Noah|Goldberg"]),
    ("ISR", "M", "אליהו דהן", ["Eliyahu|Dahan", "Eliahu|Dahan", "Eliyahou|Dahan"]),
    # Korean (family name first)
    ("KOR", "M", "김민준", ["Min-jun|Kim", "Minjun|Kim", "Min Jun|Kim", "Min-joon|Kim"]),
    ("KOR", "F", "이서연", ["Seo-yeon|Lee", "Seoyeon|Yi", "Seo Yeon|Rhee"]),
    ("KOR", "M", "박지훈", ["Ji-hoon|Park", "Jihun|Bak", "Ji Hoon|Pak"]),
    ("KOR", "F", "최수진", ["Su-jin|Choi", "Sujin|Choe", "Soo Jin|Choi"]),
    ("KOR", "M", "정현우", ["Hyun-woo|Jung", "Hyeonu|Jeong", "Hyun Woo|Chung"]),
    ("KOR", "M", "강민호", ["Min-ho|Kang", "Minho|Gang", "Min Ho|Kang"]),
    ("KOR", "M", "윤서준", ["Seo-jun|Yoon", "Seojun|Yun", "Seo Joon|Yoon"]),
    ("KOR", "F", "한지민", ["Ji-min|Han", "Jimin|Han", "Ji Min|Han"]),
    ("", "M", "리철남", ["Chol-nam|Ri", "Chol Nam|Ri", "Cheolnam|Lee"]),
    # Japanese: katakana (as foreign records often carry it), kanji for some
    ("JPN", "M", "サトウ ケンジ", ["Kenji|Sato", "Kenji|Satou", "Kenji|Satoh"]),
    ("JPN", "F", "スズキ ユキ", ["Yuki|Suzuki"]),
    ("JPN", "M", "タカハシ ヒロシ", ["Hiroshi|Takahashi"]),
    ("JPN", "F", "タナカ ユウコ", ["Yuko|Tanaka", "Yuuko|Tanaka", "Yūko|Tanaka"]),
    ("JPN", "M", "イトウ ショウタ", ["Shota|Ito", "Shouta|Itou", "Syota|Ito"]),
    ("JPN", "M", "ワタナベ ジュンイチ", ["Junichi|Watanabe", "Jun'ichi|Watanabe", "Jyunichi|Watanabe"]),
    ("JPN", "M", "ヤマモト マサシ", ["Masashi|Yamamoto", "Masasi|Yamamoto"]),
    ("JPN", "M", "なかむら つよし", ["Tsuyoshi|Nakamura", "Tuyosi|Nakamura"]),
    ("JPN", "M", "小林 大輔", ["Daisuke|Kobayashi", "Daisuke|Kobayasi"]),
    ("JPN", "F", "山田 花子", ["Hanako|Yamada"]),
    # Georgian
    ("GEO", "M", "გიორგი ბერიძე", ["Giorgi|Beridze", "Georgi|Beridze"]),
    ("GEO", "F", "ნინო კაპანაძე", ["Nino|Kapanadze"]),
    ("GEO", "M", "დავით გელაშვილი", ["Davit|Gelashvili", "David|Gelashvili", "Dawit|Gelaschwili"]),
    ("GEO", "M", "ლევან მაისურაძე", ["Levan|Maisuradze", "Lewan|Maissuradse"]),
    ("GEO", "F", "თამარ ჯაფარიძე", ["Tamar|Japaridze", "Tamar|Dzhaparidze", "Tamar|Djaparidze"]),
    ("GEO", "M", "ზურაბ ხარაიშვილი", ["Zurab|Kharaishvili", "Zurab|Haraishvili"]),
    # Armenian
    ("ARM", "M", "Արամ Պետրոսյան", ["Aram|Petrosyan", "Aram|Petrosian"]),
    ("ARM", "F", "Անի Հովհաննիսյան", ["Ani|Hovhannisyan", "Ani|Hovannisian", "Ani|Ovanesyan"]),
    ("ARM", "M", "Գևորգ Սարգսյան", ["Gevorg|Sargsyan", "Gevork|Sarkisian", "Gevorg|Sarkisyan"]),
    ("ARM", "M", "Տիգրան Գրիգորյան", ["Tigran|Grigoryan", "Tigran|Grigorian"]),
    ("ARM", "M", "Նարեկ Խաչատրյան", ["Narek|Khachatryan", "Narek|Khachatrian"]),
    # Thai
    ("THA", "M", "สมชาย ใจดี", ["Somchai|Jaidee", "Somchai|Chaidee", "Somchay|Jaidi"]),
    ("THA", "M", "สมศักดิ์ ศรีสุข", ["Somsak|Srisuk", "Somsak|Sisuk", "Somsak|Srisook"]),
    ("THA", "M", "ประเสริฐ วงศ์สวัสดิ์", ["Prasert|Wongsawat", "Prasoet|Wongsawat", "Prasert|Vongsavat"]),
    ("THA", "F", "สุภาพร แก้วมณี", ["Supaporn|Kaewmanee", "Suphaphon|Kaeomani", "Supaporn|Kaewmani"]),
    ("THA", "M", "วิชัย บุญมา", ["Wichai|Boonma", "Vichai|Bunma", "Wichai|Bunma"]),
    # Devanagari: Hindi, Nepali, Marathi
    ("IND", "M", "राहुल शर्मा", ["Rahul|Sharma", "Raahul|Sharma"]),
    ("IND", "F", "प्रिया सिंह", ["Priya|Singh", "Preeya|Singh"]),
    ("IND", "M", "सुनील वर्मा", ["Sunil|Verma", "Suneel|Varma", "Sunil|Varma"]),
    ("IND", "M", "राजेश गुप्ता", ["Rajesh|Gupta", "Rajesh|Gupt"]),
    ("NPL", "M", "दीपक श्रेष्ठ", ["Deepak|Shrestha", "Dipak|Shrestha", "Dipak|Srestha"]),
    ("IND", "M", "अनिल यादव", ["Anil|Yadav", "Anil|Yadava"]),
    ("IND", "F", "सुनीता पाटील", ["Sunita|Patil", "Suneeta|Patil"]),
    # Latin-script names, with their real spelling variants
    ("FRA", "M", None, ["Jean-Pierre|Martin", "Jean Pierre|Martin", "Jeanpierre|Martin"]),
    ("FRA", "F", None, ["Marie-Claire|Dubois", "Marie Claire|Dubois"]),
    ("FRA", "M", None, ["François|Lefèvre", "Francois|Lefevre", "Francois|Lefebvre"]),
    ("DEU", "M", None, ["Hans-Peter|Müller", "Hans Peter|Mueller", "Hans-Peter|Muller", "Hanspeter|Müller"]),
    ("DEU", "F", None, ["Anna-Lena|Schmidt", "Anna Lena|Schmidt", "Annalena|Schmidt"]),
    ("DEU", "M", None, ["Jürgen|Weiß", "Juergen|Weiss", "Jurgen|Weiss"]),
    ("AUT", "F", None, ["Katharina Maria|Gruber", "Katharina|Gruber"]),
    ("ESP", "M", None, ["Juan Carlos|García López", "Juan Carlos|Garcia Lopez", "Juan Carlos|Garcia-Lopez"]),
    ("ESP", "F", None, ["María José|de la Cruz Ruiz", "Maria Jose|de la Cruz Ruiz", "Maria-Jose|Delacruz Ruiz"]),
    ("ESP", "M", None, ["Luis Miguel|Fernández Ruiz", "Luis Miguel|Fernandez-Ruiz", "Luis Miguel|Fernandez Ruiz"]),
    ("MEX", "F", None, ["María Guadalupe|Hernández Sánchez", "Maria Guadalupe|Hernandez Sanchez"]),
    ("COL", "M", None, ["José Antonio|Rodríguez Gómez", "Jose Antonio|Rodriguez Gomez"]),
    ("ARG", "M", None, ["Martín Alejandro|González", "Martin Alejandro|Gonzalez"]),
    ("PRT", "M", None, ["João Pedro|Santos Silva", "Joao Pedro|Santos Silva", "Joao Pedro|dos Santos Silva"]),
    ("BRA", "F", None, ["Ana Paula|de Oliveira", "Ana Paula|Oliveira", "Anna Paula|de Oliveira"]),
    ("ITA", "M", None, ["Giuseppe|Russo", "Giuseppe|Russo"]),
    ("ITA", "M", None, ["Giovanni|Di Stefano", "Giovanni|Distefano", "Giovanni|Di-Stefano"]),
    ("NLD", "M", None, ["Pieter|van der Berg", "Pieter|Van Der Berg", "Pieter|Vanderberg"]),
    ("BEL", "F", None, ["Sofie|Van den Broeck", "Sofie|Vandenbroeck", "Sophie|Van den Broeck"]),
    ("IRL", "M", None, ["Patrick|O'Brien", "Patrick|O Brien", "Patrick|OBrien"]),
    ("GBR", "M", None, ["Sean|McDonald", "Sean|Mc Donald", "Seán|McDonald"]),
    ("POL", "M", None, ["Krzysztof|Wiśniewski", "Krzysztof|Wisniewski"]),
    ("POL", "F", None, ["Małgorzata|Wójcik", "Malgorzata|Wojcik"]),
    ("CZE", "M", None, ["Jiří|Dvořák", "Jiri|Dvorak"]),
    ("HUN", "M", None, ["István|Nagy", "Istvan|Nagy"]),
    ("ROU", "M", None, ["Ștefan|Popescu", "Stefan|Popescu", "Ştefan|Popescu"]),
    ("TUR", "M", None, ["Mehmet Ali|Yılmaz", "Mehmet Ali|Yilmaz", "Mehmetali|Yilmaz"]),
    ("TUR", "F", None, ["Ayşe|Öztürk", "Ayse|Ozturk", "Ayse|Oeztuerk"]),
    ("AZE", "M", None, ["Elnur|Məmmədov", "Elnur|Mammadov", "Elnur|Mamedov"]),
    ("NGA", "M", None, ["Chukwuemeka|Okonkwo", "Chukwuemeka|Okonkwo"]),
    ("NGA", "F", None, ["Oluwaseun|Adeyemi", "Oluwaseun|Adeyemi"]),
    ("KEN", "F", None, ["Wanjiru|Kamau", "Wanjiru|Kamau"]),
    ("SOM", "M", None, ["Abdirahman Mohamed|Farah", "Abdirahman Mohamed|Faarax", "Abdurahman Mohamed|Farah"]),
    ("SEN", "M", None, ["Mamadou|Diallo", "Mamadou|Dialo"]),
    ("VNM", "M", None, ["Văn An|Nguyễn", "Van An|Nguyen"]),
    ("VNM", "F", None, ["Thị Hoa|Trần", "Thi Hoa|Tran"]),
    ("IDN", "M", None, ["Budi|Santoso", "Boedi|Santoso"]),
    ("PHL", "F", None, ["Maria Cristina|Dela Cruz", "Maria Cristina|Delacruz", "Ma. Cristina|Dela Cruz"]),
    ("MYS", "M", None, ["Ahmad Faizal|bin Abdullah", "Ahmad Faizal|Abdullah"]),
    ("PAK", "M", None, ["Abu Bakr|Siddiqui", "Abubakar|Siddiqui", "Abu Bakar|Siddiqi"]),
    ("SAU", "M", None, ["Abdulaziz|Al-Harbi", "Abdul Aziz|Al Harbi", "Abd al-Aziz|Alharbi"]),
    ("EGY", "M", None, ["Abdul Rahman|Hassan", "Abdulrahman|Hassan", "Abdurrahman|Hasan"]),
    ("TUN", "M", None, ["Mohamed|Ben Youssef", "Mohamed|Benyoussef", "Mohamed|Ben-Youssef"]),
    ("USA", "M", None, ["Michael James|Johnson", "Michael J.|Johnson", "Mike|Johnson"]),
    ("GBR", "F", None, ["Elizabeth Anne|Taylor", "Elizabeth|Taylor"]),
]

# Names many different people share: same spelling, different people.
COMMON_NAMES = [
    ("EGY", "M", "Mohamed|Ali"), ("PAK", "M", "Muhammad|Khan"), ("CHN", "M", "Wei|Zhang"),
    ("CHN", "F", "Fang|Wang"), ("KOR", "M", "Min-jun|Kim"), ("ESP", "F", "Maria|Garcia"),
    ("MEX", "M", "Jose|Hernandez"), ("GBR", "M", "John|Smith"), ("USA", "M", "James|Johnson"),
    ("RUS", "M", "Ivan|Ivanov"), ("RUS", "M", "Sergey|Smirnov"), ("UKR", "F", "Olena|Kovalenko"),
    ("IND", "M", "Amit|Kumar"), ("IND", "F", "Priya|Sharma"), ("TUR", "M", "Mehmet|Yilmaz"),
    ("ISR", "M", "David|Cohen"), ("POL", "M", "Jan|Kowalski"), ("DEU", "F", "Anna|Müller"),
    ("IRN", "M", "Ali|Ahmadi"), ("VNM", "M", "Van Anh|Nguyen"), ("NGA", "M", "Ibrahim|Musa"),
    ("FRA", "M", "Nicolas|Martin"), ("BRA", "F", "Ana|Silva"), ("IDN", "M", "Agus|Setiawan"),
    ("IRQ", "M", "Ahmed|Hassan"), ("SAU", "M", "Abdullah|Alshehri"), ("JPN", "M", "Hiroshi|Sato"),
    ("PHL", "F", "Maria|Santos"), ("KEN", "M", "John|Kamau"), ("ITA", "M", "Marco|Rossi"),
]

# Spellings of one name that the same person's papers show (positives of similar_name).
SAME_NAME_SPELLINGS = [
    ["Mohammed", "Muhammad", "Mohamad", "Mohamed", "Muhammed"], ["Hassan", "Hasan"],
    ["Hussein", "Husayn", "Hussain", "Husein"], ["Yusuf", "Yousef", "Youssef", "Yousif"],
    ["Abdullah", "Abdallah", "Abdulla"], ["Ahmed", "Ahmad"], ["Omar", "Umar"], ["Osama", "Usama", "Oussama"],
    ["Aleksandr", "Alexander", "Aleksander", "Alexandre"], ["Sergey", "Sergei", "Serguei"],
    ["Dmitriy", "Dmitry", "Dmitri", "Dmitrii"], ["Yuriy", "Yuri", "Iurii", "Juri"],
    ["Natalya", "Natalia", "Natalja"], ["Tatyana", "Tatiana", "Tatjana"],
    ["Aleksey", "Alexei", "Aleksei", "Alexey"], ["Andrey", "Andrei", "Andrej"],
    ["Yevgeniy", "Evgeny", "Evgeni", "Jewgeni"], ["Georgios", "Yeorgios", "Georgeos"],
    ["Papadopoulos", "Papadopulos"], ["Konstantinou", "Constantinou", "Kostantinou"],
    ["Nikolaos", "Nicolaos"], ["Panagiotis", "Panayiotis", "Panayotis"],
    ["Kuznetsov", "Kuznetcov", "Kusnezow"], ["Khachatryan", "Khachatrian", "Chatschatrjan"],
    ["Yitzhak", "Itzhak", "Yitzchak", "Itzchak"], ["Mizrahi", "Mizrachi"], ["Shapira", "Shapiro"],
    ["Zhang", "Chang"], ["Xiaoming", "Hsiaoming"], ["Zhou", "Chou"], ["Choi", "Choe"],
    ["Jung", "Jeong", "Chung"], ["Lee", "Yi", "Rhee"], ["Park", "Pak", "Bak"],
    ["Sato", "Satou", "Satoh"], ["Ito", "Itou", "Itoh"], ["Shota", "Syota"],
    ["Müller", "Mueller", "Muller"], ["Weiß", "Weiss"], ["Jürgen", "Juergen", "Jurgen"],
    ["Yılmaz", "Yilmaz"], ["Öztürk", "Ozturk", "Oeztuerk"], ["Mammadov", "Mamedov", "Məmmədov"],
    ["Sharma", "Sharmaa"], ["Deepak", "Dipak"], ["Srisuk", "Srisook"], ["Jaidee", "Jaidi"],
    ["Petrosyan", "Petrosian"], ["Sargsyan", "Sarkisian", "Sarkisyan"], ["Gelashvili", "Gelaschwili"],
    ["Jovanović", "Jovanovic", "Jovanovich"], ["Wiśniewski", "Wisniewski"], ["Dvořák", "Dvorak"],
]

# Different names that look alike (negatives of similar_name and typo).
CONFUSABLE_NAMES = [
    ("Hassan", "Hussein"), ("Mohammed", "Mahmoud"), ("Ahmed", "Hamed"), ("Omar", "Ammar"),
    ("Said", "Saad"), ("Khalid", "Khalil"), ("Yusuf", "Yunus"), ("Karim", "Kamil"), ("Ali", "Alaa"),
    ("Nasser", "Nader"), ("Salim", "Salem"), ("Faisal", "Fadel"), ("Tarek", "Tamer"),
    ("Petrov", "Petrenko"), ("Sidorov", "Sidorenko"), ("Kovalenko", "Kovalchuk"), ("Aleksandr", "Aleksey"),
    ("Nikolai", "Nikita"), ("Sergey", "Semyon"), ("Ivanov", "Ivashov"), ("Smirnov", "Simonov"),
    ("Popov", "Pospelov"), ("Volkov", "Volkogonov"), ("Morozov", "Morozko"), ("Lebedev", "Lebedinsky"),
    ("Martin", "Martinez"), ("Garcia", "Gracia"), ("Lopez", "Lozano"), ("Fernandez", "Hernandez"),
    ("Schmidt", "Schmitz"), ("Müller", "Möller"), ("Kowalski", "Kowalczyk"), ("Wang", "Wan"),
    ("Zhang", "Zhan"), ("Chen", "Cheng"), ("Wei", "Wen"), ("Jun", "Jin"), ("Lin", "Ling"),
    ("Min-jun", "Min-jae"), ("Ji-hoon", "Ji-hyun"), ("Seo-yeon", "Seo-yun"), ("Papadopoulos", "Papadakis"),
    ("Nikolaou", "Nikolaidis"), ("Georgiou", "Gregoriou"), ("Levi", "Levin"), ("Friedman", "Friedland"),
    ("Sharma", "Sarma"), ("Kumar", "Kumaran"), ("Sato", "Saito"), ("Tanaka", "Tanabe"),
    ("Suzuki", "Sasaki"), ("Beridze", "Beradze"), ("Petrosyan", "Poghosyan"), ("Somchai", "Somsak"),
    ("Srisuk", "Srisuwan"), ("Nguyen", "Nguy"), ("Santos", "Santana"), ("Silva", "Silveira"),
    ("Rossi", "Rosso"), ("Russo", "Rizzo"), ("Nagy", "Nagel"), ("Okonkwo", "Okonjo"), ("Adeyemi", "Adeyemo"),
    ("Diallo", "Diallo-Ba"), ("Kamau", "Kamande"), ("Yilmaz", "Yildiz"), ("Ozturk", "Ozdemir"),
    ("Cohen", "Cohn-Levi"), ("Abdullah", "Abdulhadi"), ("Abdulaziz", "Abdulrahim"), ("Mariam", "Marwa"),
    ("Fatima", "Fadwa"), ("Zainab", "Zahra"), ("Layla", "Lamia"), ("Natalya", "Nadezhda"),
    ("Tatyana", "Taisiya"), ("Ekaterina", "Elizaveta"), ("Olga", "Oksana"), ("Dmitriy", "Denis"),
]


class Person:
    def __init__(self, index, nationality, sex, native, spellings, dob):
        self.index = index
        self.nationality = nationality
        self.sex = sex
        self.natives = list(native) if isinstance(native, tuple) else ([native] if native else [])
        self.spellings = [tuple(s.split("|")) for s in spellings]
        self.dob = dob

    def tokens(self):
        words = set()
        for given, family in self.spellings:
            for word in (given + " " + family).replace("-", " ").split():
                words.add(fold(word))
        return words


def fold(word):
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def random_date(rng):
    year = rng.randint(1950, 2006)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    return (year, month, day)


def iso(date, precision=3):
    year, month, day = date
    return [f"{year:04d}", f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}-{day:02d}"][precision - 1]


def western(spelling):
    given, family = spelling
    return f"{given} {family}".strip()


def family_first(spelling, rng):
    given, family = spelling
    style = rng.choice(["upper", "comma", "plain"])
    if style == "upper":
        return f"{family.upper()} {given}"
    if style == "comma":
        return f"{family}, {given}"
    return f"{family} {given}"


def natural(person, spelling, rng):
    """A Latin rendering in the order the person's papers would most likely show it."""
    if person.nationality in ("CHN", "SGP", "KOR", "PRK", "JPN", "HUN", "VNM") and rng.random() < 0.5:
        given, family = spelling
        return f"{family} {given}"
    return western(spelling)


def typo(word, rng):
    letters = [c for c in word]
    positions = [i for i, c in enumerate(letters) if c.isalpha()]
    if len(positions) < 4:
        return None
    kind = rng.choice(["substitute", "delete", "insert", "transpose", "double"])
    i = rng.choice(positions[1:])
    alphabet = "aeioubcdfghklmnprstvyz"
    if kind == "substitute":
        replacement = rng.choice([c for c in alphabet if c != letters[i].lower()])
        letters[i] = replacement
    elif kind == "delete":
        del letters[i]
    elif kind == "insert":
        letters.insert(i, rng.choice(alphabet))
    elif kind == "transpose" and i + 1 < len(letters) and letters[i] != letters[i + 1]:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    elif kind == "double":
        letters.insert(i, letters[i])
    else:
        letters[i] = rng.choice([c for c in alphabet if c != letters[i].lower()])
    return "".join(letters)


def with_typo(text, rng):
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 4]
    if not candidates:
        return None
    i = rng.choice(candidates)
    changed = typo(words[i], rng)
    if changed is None or changed == words[i]:
        return None
    words[i] = changed
    return " ".join(words)


class Builder:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.rows = []
        rng = self.rng
        self.people = [Person(i, n, s, native, spellings, random_date(rng))
                       for i, (n, s, native, spellings) in enumerate(IDENTITIES)]
        # Fictional namesakes: other people who share a given or family name with someone.
        self.by_token = defaultdict(list)
        for person in self.people:
            for token in person.tokens():
                self.by_token[token].append(person)

    def qualifiers(self, person, present):
        """dob, nationality, sex of a person, each present with the given probability."""
        rng = self.rng
        dob = iso(person.dob) if present else ""
        nationality = person.nationality if rng.random() < 0.6 else ""
        sex = person.sex if rng.random() < 0.7 else ""
        return dob, nationality, sex

    def dob_presence(self):
        """Both sides, one side or neither side has a date of birth."""
        roll = self.rng.random()
        if roll < 0.45:
            return True, True
        if roll < 0.6:
            return True, False
        if roll < 0.75:
            return False, True
        return False, False

    def add(self, category, label, name_a, qa, name_b, qb):
        self.rows.append({
            "name_a": name_a, "dob_a": qa[0], "nationality_a": qa[1], "sex_a": qa[2],
            "name_b": name_b, "dob_b": qb[0], "nationality_b": qb[1], "sex_b": qb[2],
            "label": label, "category": category,
        })

    def positive(self, category, person, name_a, name_b):
        left, right = self.dob_presence()
        self.add(category, 1, name_a, self.qualifiers(person, left), name_b, self.qualifiers(person, right))

    def negative(self, category, person_a, name_a, person_b, name_b):
        left, right = self.dob_presence()
        self.add(category, 0, name_a, self.qualifiers(person_a, left), name_b, self.qualifiers(person_b, right))

    def namesake(self, person):
        """Someone else sharing a name token with `person`, else someone of the same nationality or
        script group, else anyone."""
        rng = self.rng
        others = {p.index: p for token in sorted(person.tokens()) for p in self.by_token[token] if p is not person}
        if others and rng.random() < 0.8:
            return others[rng.choice(sorted(others))]
        group = [p for p in self.people if p is not person and bool(p.natives) == bool(person.natives)
                 and (p.nationality == person.nationality or rng.random() < 0.2)]
        return rng.choice(group or [p for p in self.people if p is not person])

    # Categories --------------------------------------------------------------------------

    def cross_script(self, count):
        rng = self.rng
        people = [p for p in self.people if p.natives]
        for _ in range(count):
            person = rng.choice(people)
            native = rng.choice(person.natives)
            if rng.random() < 0.58:
                latin = natural(person, rng.choice(person.spellings), rng)
                pair = (native, latin) if rng.random() < 0.5 else (latin, native)
                if len(person.natives) > 1 and rng.random() < 0.15:
                    pair = tuple(person.natives)
                self.positive("cross_script", person, *pair)
            else:
                other = self.namesake(person)
                while not other.natives and rng.random() < 0.7:
                    other = self.namesake(person)
                latin = natural(other, rng.choice(other.spellings), rng)
                if other.natives and rng.random() < 0.3:
                    latin = rng.choice(other.natives)
                if rng.random() < 0.5:
                    self.negative("cross_script", person, native, other, latin)
                else:
                    self.negative("cross_script", other, latin, person, native)

    def transliteration(self, count):
        rng = self.rng
        people = [p for p in self.people if len(set(p.spellings)) > 1]
        for _ in range(count):
            person = rng.choice(people)
            if rng.random() < 0.58:
                a, b = rng.sample(sorted(set(person.spellings)), 2)
                self.positive("transliteration", person, western(a), western(b))
            else:
                other = self.namesake(person)
                self.negative("transliteration", person, western(rng.choice(person.spellings)), other,
                              western(rng.choice(other.spellings)))

    def typos(self, count):
        rng = self.rng
        confusable = [(a, b) for a, b in CONFUSABLE_NAMES if distance(fold(a), fold(b)) <= 2]
        made = 0
        while made < count:
            person = rng.choice(self.people)
            text = western(rng.choice(person.spellings))
            if rng.random() < 0.58:
                changed = with_typo(text, rng)
                if changed is None:
                    continue
                if rng.random() < 0.15:
                    changed = with_typo(changed, rng) or changed
                self.positive("typo", person, text, changed) if rng.random() < 0.5 else \
                    self.positive("typo", person, changed, text)
            else:
                a, b = rng.choice(confusable)
                if rng.random() < 0.5:
                    a, b = b, a
                words = text.split(" ")
                hit = [i for i, w in enumerate(words) if fold(w) == fold(a)]
                if hit:
                    words[hit[0]] = b
                    self.negative("typo", person, text, person_like(person, rng), " ".join(words))
                else:
                    other = self.namesake(person)
                    changed = with_typo(western(rng.choice(other.spellings)), rng)
                    if changed is None:
                        continue
                    self.negative("typo", person, text, other, changed)
            made += 1

    def order_swaps(self, count):
        rng = self.rng
        for _ in range(count):
            person = rng.choice(self.people)
            spelling = rng.choice(person.spellings)
            other_spelling = rng.choice(person.spellings) if rng.random() < 0.4 else spelling
            if rng.random() < 0.58:
                self.positive("order_swap", person, western(spelling), family_first(other_spelling, rng))
            else:
                other = self.namesake(person)
                self.negative("order_swap", person, western(spelling), other,
                              family_first(rng.choice(other.spellings), rng))

    def droppable(self):
        return [p for p in self.people
                if any(len(western(s).replace("-", " ").split()) >= 3 for s in p.spellings)]

    def dropped(self, spelling, rng):
        given, family = spelling
        givens = given.split()
        families = family.split()
        options = []
        if len(givens) >= 2:
            options.append((" ".join(givens[:1] + givens[2:]) if len(givens) > 2 else givens[0], family))
            if len(givens) == 2 and rng.random() < 0.3:
                options.append((givens[1], family))
        if len(families) >= 2 and families[0].lower() not in ("de", "van", "di", "dela", "bin", "dos", "al", "el"):
            options.append((given, families[0]))
        return rng.choice(options) if options else None

    def dropped_names(self, count, category):
        rng = self.rng
        people = self.droppable()
        made = 0
        while made < count:
            person = rng.choice(people)
            full = rng.choice([s for s in person.spellings if len(western(s).split()) >= 3] or person.spellings)
            if rng.random() < 0.58:
                short = self.dropped(full, rng)
                if short is None:
                    continue
                other = rng.choice(person.spellings) if rng.random() < 0.3 else full
                short_text = western(self.dropped(other, rng) or short)
                pair = (western(full), short_text) if category == "dropped_name" else (short_text, western(full))
                self.positive(category, person, *pair)
            else:
                other = self.namesake(person)
                other_full = rng.choice(other.spellings)
                short = self.dropped(other_full, rng) or other_full
                if category == "dropped_name":
                    self.negative(category, person, western(full), other, western(short))
                else:
                    self.negative(category, other, western(short), person, western(full))
            made += 1

    def compounds(self, count):
        rng = self.rng

        def joined_or_split(spelling):
            given, family = spelling
            return any(("-" in part or " " in part) for part in (given, family)) or \
                any(w.lower().startswith(("abd", "abu", "ben", "van", "del", "di", "mc", "o'", "ob"))
                    for w in (given + " " + family).split())

        people = [p for p in self.people if len(p.spellings) > 1 and any(joined_or_split(s) for s in p.spellings)]
        made = 0
        while made < count:
            person = rng.choice(people)
            forms = sorted(set(person.spellings))
            if rng.random() < 0.58:
                a, b = rng.sample(forms, 2)
                if not (joined_or_split(a) or joined_or_split(b)):
                    continue
                variant = western(b)
                if rng.random() < 0.35:
                    variant = variant.replace(" ", "-", 1) if rng.random() < 0.5 else variant.replace("-", " ")
                self.positive("compound", person, western(a), variant)
            else:
                other = self.namesake(person)
                self.negative("compound", person, western(rng.choice(forms)), other,
                              western(rng.choice(other.spellings)))
            made += 1

    def initials(self, count):
        rng = self.rng

        def initialised(spelling, keep_first):
            given, family = spelling
            words = given.replace("-", " ").split()
            out = []
            for i, word in enumerate(words):
                if keep_first and i == 0:
                    out.append(word)
                else:
                    out.append(word[0].upper() + ("." if rng.random() < 0.7 else ""))
            return (" ".join(out), family)

        people = [p for p in self.people if all(len(s[0]) > 1 for s in p.spellings)]
        made = 0
        while made < count:
            person = rng.choice(people)
            spelling = rng.choice([s for s in person.spellings if not s[0].endswith(".")] or person.spellings)
            keep_first = len(spelling[0].split()) > 1 and rng.random() < 0.4
            if rng.random() < 0.58:
                short = initialised(spelling, keep_first)
                self.positive("initials", person, western(spelling), western(short))
            else:
                other = self.namesake(person)
                other_spelling = rng.choice(other.spellings)
                short = initialised(other_spelling, keep_first)
                self.negative("initials", person, western(spelling), other, western(short))
            made += 1

    def partial_dates(self, count):
        rng = self.rng
        for _ in range(count):
            person = rng.choice(self.people)
            a = natural(person, rng.choice(person.spellings), rng)
            b = natural(person, rng.choice(person.spellings), rng)
            if person.natives and rng.random() < 0.25:
                b = rng.choice(person.natives)
            precision = rng.choice([1, 1, 2])
            nat = lambda: person.nationality if rng.random() < 0.6 else ""
            sex = lambda: person.sex if rng.random() < 0.7 else ""
            full_a = rng.random() < 0.6
            if rng.random() < 0.55:
                qa = (iso(person.dob, 3 if full_a else precision), nat(), sex())
                qb = (iso(person.dob, precision), nat(), sex())
                self.add("partial_dob", 1, a, qa, b, qb)
            else:
                # Namesakes: the same name, a date that cannot be the same person's.
                year, month, day = person.dob
                other = (year + rng.choice([-1, 1]) * rng.randint(1, 14), rng.randint(1, 12), rng.randint(1, 28))
                if precision == 2 and rng.random() < 0.4:
                    other = (year, (month % 12) + 1, day)
                qa = (iso(person.dob, 3 if full_a else precision), nat(), sex())
                qb = (iso(other, precision), nat(), sex())
                self.add("partial_dob", 0, a, qa, b, qb)

    def wrong_dates(self, count):
        rng = self.rng
        for _ in range(count):
            person = rng.choice(self.people)
            a = natural(person, rng.choice(person.spellings), rng)
            b = natural(person, rng.choice(person.spellings), rng)
            if person.natives and rng.random() < 0.25:
                b = rng.choice(person.natives)
            year, month, day = person.dob
            nat = lambda: person.nationality if rng.random() < 0.6 else ""
            sex = lambda: person.sex if rng.random() < 0.7 else ""
            if rng.random() < 0.55:
                kind = rng.choice(["swap", "digit", "digit", "transpose"])
                if kind == "swap" and day <= 12 and day != month:
                    other = (year, day, month)
                elif kind == "transpose" and day >= 10 and day % 10 != day // 10 and (day % 10) * 10 + day // 10 <= 28:
                    other = (year, month, (day % 10) * 10 + day // 10)
                else:
                    text = list(iso(person.dob))
                    position = rng.choice([3, 6, 8, 9])
                    for attempt in range(200):
                        if attempt == 100:
                            position = 9
                        digit = str(rng.randint(0, 9))
                        candidate = text.copy()
                        candidate[position] = digit
                        candidate = "".join(candidate)
                        parts = candidate.split("-")
                        y, m, d = int(parts[0]), int(parts[1]), int(parts[2])
                        if digit != text[position] and 1900 <= y <= 2010 and 1 <= m <= 12 and 1 <= d <= 28:
                            other = (y, m, d)
                            break
                    else:
                        continue
                self.add("wrong_dob", 1, a, (iso(person.dob), nat(), sex()), b, (iso(other), nat(), sex()))
            else:
                # The same name, another person: a different date altogether, or the same year.
                if rng.random() < 0.3:
                    other = (year, rng.randint(1, 12), rng.randint(1, 28))
                    while other[1:] == (month, day) or other[1:] == (day, month):
                        other = (year, rng.randint(1, 12), rng.randint(1, 28))
                else:
                    other = (year + rng.choice([-1, 1]) * rng.randint(2, 25), rng.randint(1, 12), rng.randint(1, 28))
                self.add("wrong_dob", 0, a, (iso(person.dob), nat(), sex()), b, (iso(other), nat(), sex()))

    def common_names(self, count):
        rng = self.rng
        for _ in range(count):
            nationality, sex, name = rng.choice(COMMON_NAMES)
            spelling = tuple(name.split("|"))
            text = western(spelling)
            dob = random_date(rng)
            if rng.random() < 0.5:
                other_text = family_first(spelling, rng) if rng.random() < 0.3 else text
                precision = rng.choice([3, 3, 3, 1])
                qa = (iso(dob), nationality if rng.random() < 0.7 else "", sex if rng.random() < 0.7 else "")
                qb = (iso(dob, precision), nationality if rng.random() < 0.7 else "", sex if rng.random() < 0.7 else "")
                self.add("common_name", 1, text, qa, other_text, qb)
            else:
                # Two different people of that name: their dates of birth differ.
                other = random_date(rng)
                while abs(other[0] - dob[0]) < 1 and other[1:] == dob[1:]:
                    other = random_date(rng)
                if rng.random() < 0.25:
                    other = (dob[0], rng.randint(1, 12), rng.randint(1, 28))
                    if other[1:] in (dob[1:], (dob[2], dob[1])):
                        other = (dob[0] + 3, other[1], other[2])
                other_nationality = nationality if rng.random() < 0.7 else rng.choice(COMMON_NAMES)[0]
                precision = rng.choice([3, 3, 3, 1]) if abs(other[0] - dob[0]) >= 1 else 3
                qa = (iso(dob), nationality if rng.random() < 0.7 else "", sex if rng.random() < 0.7 else "")
                qb = (iso(other, precision), other_nationality if rng.random() < 0.7 else "",
                      sex if rng.random() < 0.7 else "")
                self.add("common_name", 0, text, qa, text, qb)

    def similar_names(self, count):
        rng = self.rng
        made = 0
        while made < count:
            person = rng.choice([p for p in self.people])
            spelling = rng.choice(person.spellings)
            text = western(spelling)
            words = text.split(" ")
            if rng.random() < 0.55:
                groups = [g for g in SAME_NAME_SPELLINGS
                          if any(fold(w) == fold(v) for w in words for v in g)]
                if not groups:
                    continue
                group = rng.choice(groups)
                i = next(i for i, w in enumerate(words) if any(fold(w) == fold(v) for v in group))
                alternatives = [v for v in group if v.lower() != words[i].lower()]
                if not alternatives:
                    continue
                changed = words.copy()
                changed[i] = rng.choice(alternatives)
                self.positive("similar_name", person, text, " ".join(changed))
            else:
                pairs = [(a, b) for a, b in CONFUSABLE_NAMES for w in words if fold(w) in (fold(a), fold(b))]
                if not pairs:
                    continue
                a, b = rng.choice(pairs)
                i = next(i for i, w in enumerate(words) if fold(w) in (fold(a), fold(b)))
                changed = words.copy()
                changed[i] = b if fold(words[i]) == fold(a) else a
                self.negative("similar_name", person, text, person_like(person, rng), " ".join(changed))
            made += 1


def person_like(person, rng):
    """Another, fictional person of the same nationality and sex, with their own date of birth."""
    return Person(-1, person.nationality, person.sex, None, ["x|y"], random_date(rng))


def distance(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


COLUMNS = ["name_a", "dob_a", "nationality_a", "sex_a", "name_b", "dob_b", "nationality_b", "sex_b",
           "label", "category"]


def build():
    builder = Builder(SEED)
    builder.cross_script(520)
    builder.transliteration(300)
    builder.typos(300)
    builder.order_swaps(260)
    builder.dropped_names(220, "dropped_name")
    builder.dropped_names(200, "added_name")
    builder.compounds(240)
    builder.initials(220)
    builder.partial_dates(260)
    builder.wrong_dates(260)
    builder.common_names(260)
    builder.similar_names(260)
    seen = set()
    rows = []
    for row in builder.rows:
        key = tuple(row[c] for c in COLUMNS)
        if key in seen or row["name_a"] == "" or row["name_b"] == "":
            continue
        seen.add(key)
        rows.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue(), rows


def main():
    text, rows = build()
    path = Path(__file__).with_name("pairs.csv")
    if "--check" in sys.argv[1:]:
        if path.read_text(encoding="utf-8") != text:
            sys.exit(f"{path.name} differs from what generate.py makes; run it and commit the result")
        print(f"{path.name} is up to date ({len(rows)} pairs)")
        return
    path.write_text(text, encoding="utf-8")
    counts = defaultdict(lambda: [0, 0])
    for row in rows:
        counts[row["category"]][row["label"]] += 1
    print(f"wrote {len(rows)} pairs to {path.name}")
    for category, (negatives, positives) in sorted(counts.items()):
        print(f"  {category:16} {positives:4} match  {negatives:4} non-match")


if __name__ == "__main__":
    main()
